import type { ChatMessage } from "@dsc/api-client";
import type { Database } from "@dsc/db";
import { ALL_PII_KINDS, maskPii, type PiiKind } from "../compliance/pii-masking.ts";
import { chatLogExpiry } from "../retention/chat-log-expiry.ts";
import type { Clock } from "../time/clock.ts";

/** What may be kept of one request, and how it is masked. */
export interface DataPolicy {
  /** keep an encrypted log of the turn (false: the organization or the request opted out) */
  keepLog: boolean;
  /** mask these kinds before anything is stored */
  maskKinds: PiiKind[];
  /** mask the prompt before it goes to the model too */
  maskUpstream: boolean;
  /** when a log written now expires */
  logExpiresAt: Date;
}

/**
 * The organization's data settings for one request. Read per request, so a change applies to
 * the next one. `optedOut` is the request's own opt-out header.
 */
export async function loadDataPolicy(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; optedOut: boolean },
): Promise<DataPolicy> {
  const org = await deps.db.organization.findUniqueOrThrow({
    where: { id: input.organizationId },
    select: {
      dataCollectionOptOut: true,
      piiMaskKinds: true,
      maskPiiUpstream: true,
      chatLogRetentionDays: true,
      tier: { select: { chatLogRetentionDays: true } },
    },
  });
  return {
    keepLog: !org.dataCollectionOptOut && !input.optedOut,
    maskKinds: org.piiMaskKinds.filter((kind): kind is PiiKind => (ALL_PII_KINDS as string[]).includes(kind)),
    maskUpstream: org.maskPiiUpstream,
    logExpiresAt: chatLogExpiry(
      {
        tierRetentionDays: org.tier.chatLogRetentionDays,
        organizationRetentionDays: org.chatLogRetentionDays,
      },
      deps.clock.now(),
    ),
  };
}

/** The messages with every text part masked. */
export function maskMessages(messages: ChatMessage[], kinds: readonly PiiKind[]): ChatMessage[] {
  if (kinds.length === 0) return messages;
  return messages.map((message) => {
    const content = message.content;
    if (typeof content === "string") return { ...message, content: maskPii(content, kinds) } as ChatMessage;
    if (!Array.isArray(content)) return message;
    return {
      ...message,
      content: content.map((part) =>
        part.type === "text" && typeof part.text === "string"
          ? { ...part, text: maskPii(part.text, kinds) }
          : part,
      ),
    } as ChatMessage;
  });
}
