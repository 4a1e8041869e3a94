import { listChatLogs } from "@dsc/core";
import { assertVisibleOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { ListConversationLogsInputSchema } from "./conversation-logs-input.ts";

/** One organization's logs newest first, by key, end user, model and time: metadata only, nothing decrypted. */
export const listConversationLogsProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(ListConversationLogsInputSchema)
  .query(({ ctx, input }) => {
    // no developer gets this far; should one ever, it is their own organization or nothing
    assertVisibleOrganization(ctx.user, input.organizationId);
    return listChatLogs(ctx, input);
  });
