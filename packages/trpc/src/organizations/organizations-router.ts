import { router } from "../procedure.ts";
import { listOrganizationsProcedure } from "./list-organizations.ts";

export const organizationsRouter = router({
  list: listOrganizationsProcedure,
});
