import { getChatLogSummary } from "@dsc/core";
import { ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { GetConversationLogInputSchema } from "./conversation-logs-input.ts";

/** One log's metadata (and whether its subject was erased), without its content: nothing is decrypted. */
export const getConversationLogProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(GetConversationLogInputSchema)
  .query(({ ctx, input }) =>
    getChatLogSummary(ctx, { id: input.chatLogId, organizationId: ownOrganization(ctx.user) }),
  );
