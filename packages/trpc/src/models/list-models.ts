import { listModels } from "@dsc/core";
import { allowRoles } from "../procedure.ts";

/** The catalogue with deployments: their addresses and key names are the operator's, so admins only. */
export const listModelsProcedure = allowRoles("ADMIN").query(({ ctx }) => listModels(ctx));
