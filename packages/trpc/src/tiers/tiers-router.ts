import { router } from "../procedure.ts";
import { createTierProcedure } from "./create-tier.ts";
import { listTiersProcedure } from "./list-tiers.ts";
import { updateTierProcedure } from "./update-tier.ts";

export const tiersRouter = router({
  list: listTiersProcedure,
  create: createTierProcedure,
  update: updateTierProcedure,
});
