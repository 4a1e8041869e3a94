import { router } from "../procedure.ts";
import { getQuickstartModelProcedure } from "./get-quickstart-model.ts";

export const gettingStartedRouter = router({
  model: getQuickstartModelProcedure,
});
