import { countDeletionDeadlines } from "@dsc/core";
import { allowRoles } from "../procedure.ts";

/** How many requests are overdue or near their deadline: the console's banner. */
export const countDeletionDeadlinesProcedure = allowRoles("ADMIN", "COMPLIANCE").query(({ ctx }) =>
  countDeletionDeadlines(ctx),
);
