import type { ChatCompletion, ChatMessage } from "@dsc/api-client";
import { maskPii, type PiiKind } from "../compliance/pii-masking.ts";
import type { OrganizationSnapshot } from "../organizations/organization-snapshot.ts";
import { chatLogExpiry } from "../retention/chat-log-expiry.ts";

/** What may be kept of one request, and how it is masked. */
export interface DataPolicy {
  /** keep an encrypted log of the turn (false: the organization or the request opted out) */
  keepLog: boolean;
  /** mask these kinds before anything is stored */
  maskKinds: readonly PiiKind[];
  /** mask the prompt before it goes to the model too */
  maskUpstream: boolean;
  /** when a log written now expires */
  logExpiresAt: Date;
}

/**
 * The organization's data settings for one request, from its snapshot. `optedOut` is the
 * request's own opt-out header.
 */
export function dataPolicyOf(
  organization: OrganizationSnapshot,
  input: { optedOut: boolean; now: Date },
): DataPolicy {
  return {
    keepLog: !organization.dataCollectionOptOut && !input.optedOut,
    maskKinds: organization.piiMaskKinds,
    maskUpstream: organization.maskPiiUpstream,
    logExpiresAt: chatLogExpiry(
      {
        tierRetentionDays: organization.tier.chatLogRetentionDays,
        organizationRetentionDays: organization.chatLogRetentionDays,
      },
      input.now,
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

/** A completion's choices, or a stream's text, with every text masked. */
export function maskResponse(
  response: Pick<ChatCompletion, "choices"> | { streamedText: string },
  kinds: readonly PiiKind[],
): Pick<ChatCompletion, "choices"> | { streamedText: string } {
  if (kinds.length === 0) return response;
  if ("streamedText" in response) return { streamedText: maskPii(response.streamedText, kinds) };
  return {
    choices: response.choices.map((choice) => ({
      ...choice,
      message: {
        ...choice.message,
        content: choice.message.content === null ? null : maskPii(choice.message.content, kinds),
      },
    })),
  };
}
