import { openChatLog } from "@dsc/core";
import { actorOf, ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { OpenConversationLogInputSchema } from "./conversation-logs-input.ts";
import { keyringOf } from "./open-conversation-log.ts";

/** The log as stored, without the display's masking: audited again, as chat_log.unmasked, with its own reason. */
export const unmaskConversationLogProcedure = allowRoles("ADMIN", "COMPLIANCE")
  .input(OpenConversationLogInputSchema)
  .mutation(({ ctx, input }) =>
    openChatLog(
      { ...ctx, keyring: keyringOf(ctx) },
      {
        id: input.chatLogId,
        organizationId: ownOrganization(ctx.user),
        actor: actorOf(ctx),
        reason: input.reason,
        unmasked: true,
      },
    ),
  );
