import { listTiers } from "@dsc/core";
import { allowRoles } from "../procedure.ts";

export const listTiersProcedure = allowRoles("ADMIN", "COMPLIANCE").query(({ ctx }) => listTiers(ctx));
