import { DomainError, type MasterKeyring, openChatLog } from "@dsc/core";
import type { TrpcContext } from "../context.ts";
import { actorOf, ownOrganization } from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import { OpenConversationLogInputSchema } from "./conversation-logs-input.ts";

/**
 * Decrypts a log for a person who gave a reason: audited as chat_log.viewed with the reason,
 * and shown with every kind of personal data masked. A mutation: it writes the audit record.
 */
export const openConversationLogProcedure = openConversationLogAs({ unmasked: false });

/**
 * The procedure that decrypts one log of the caller's scope, for a reason; `unmasked` says
 * whether personal data stays in it, and so which audit action records the reading.
 */
export function openConversationLogAs({ unmasked }: { unmasked: boolean }) {
  return allowRoles("ADMIN", "COMPLIANCE")
    .input(OpenConversationLogInputSchema)
    .mutation(({ ctx, input }) =>
      openChatLog(
        { ...ctx, keyring: keyringOf(ctx) },
        {
          id: input.chatLogId,
          organizationId: ownOrganization(ctx.user),
          actor: actorOf(ctx),
          reason: input.reason,
          unmasked,
        },
      ),
    );
}

/** The dashboard's server loads the master keys as the gateway does; without them no log opens. */
export function keyringOf(ctx: Pick<TrpcContext, "keyring">): MasterKeyring {
  if (!ctx.keyring) {
    throw new DomainError("unavailable", "This dashboard has no encryption key, so it cannot open logs.");
  }
  return ctx.keyring;
}
