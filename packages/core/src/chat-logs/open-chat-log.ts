import type { Database } from "@dsc/db";
import { CHAT_LOG_REASON_MAX_LENGTH, CHAT_LOG_REASON_MIN_LENGTH } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import { DomainError } from "../errors/domain-error.ts";
import { ALL_PII_KINDS, maskPii } from "../masking/pii-masking.ts";
import type { Clock } from "../time/clock.ts";
import { type ChatLogSummary, chatLogSummaryColumns, summarizeChatLogs } from "./chat-log-summaries.ts";
import { type Conversation, conversationOf } from "./conversation-view.ts";
import { decryptChatLog } from "./read-chat-logs.ts";

export { CHAT_LOG_REASON_MAX_LENGTH, CHAT_LOG_REASON_MIN_LENGTH };

/** A log that is not there (purged, deleted by an erasure, or past its expiry) reads as one message. */
const GONE = "This log was erased or expired.";
/** chat_log ids are UUIDs; anything else names no log (and must not reach the uuid column) */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type OpenedChatLog =
  | { status: "open"; log: ChatLogSummary; conversation: Conversation }
  /** its subject's erasure started, or destroyed its key: the content is not read */
  | { status: "erased"; log: ChatLogSummary };

type Scope = {
  id: string;
  /** the only organization the caller may see; null for every organization */
  organizationId: string | null;
};

/** The log the scope names, if the caller may see it and it has not expired (its purge may lag). */
function readableLogWhere(input: Scope, clock: Clock) {
  if (!UUID.test(input.id)) throw new DomainError("not_found", GONE);
  return {
    id: input.id,
    ...(input.organizationId !== null ? { organizationId: input.organizationId } : {}),
    expiresAt: { gt: clock.now() },
  };
}

/** One log's metadata as its page shows it: with its organization's name. */
export type ChatLogDetails = ChatLogSummary & { organizationName: string };

/**
 * A readable log's metadata, without its content. Not audited: nothing is decrypted. A log
 * purged by its retention or deleted by an erasure leaves nothing behind by its id, so it is
 * not found just as an id that never named a log; one its erasure has reached but not yet
 * deleted is answered, marked `isErased`.
 */
export async function getChatLogSummary(
  deps: { db: Database; clock: Clock },
  input: Scope,
): Promise<ChatLogDetails> {
  const row = await deps.db.chatLog.findFirst({
    where: readableLogWhere(input, deps.clock),
    select: { ...chatLogSummaryColumns, organization: { select: { name: true } } },
  });
  if (!row) throw new DomainError("not_found", GONE);
  const [summary] = (await summarizeChatLogs(deps.db, [row])) as [ChatLogSummary];
  return { ...summary, organizationName: row.organization.name };
}

/**
 * Decrypts one log for a person who said why, records that they read it (before anything is
 * returned: no audit record, no content), and returns it masked of every kind of personal data,
 * or as stored when `unmasked` (audited as its own action). A log of an erased subject is
 * answered as erased, without reading it.
 */
export async function openChatLog(
  deps: { db: Database; clock: Clock; keyring: MasterKeyring },
  input: Scope & { actor: Actor; reason: string; unmasked: boolean },
): Promise<OpenedChatLog> {
  const reason = input.reason.trim();
  if (reason.length < CHAT_LOG_REASON_MIN_LENGTH || reason.length > CHAT_LOG_REASON_MAX_LENGTH) {
    throw new DomainError(
      "invalid",
      `Say why you open this log, in ${CHAT_LOG_REASON_MIN_LENGTH} to ${CHAT_LOG_REASON_MAX_LENGTH} characters.`,
      "reason",
    );
  }
  const row = await deps.db.chatLog.findFirst({
    where: readableLogWhere(input, deps.clock),
    include: { dataKey: true },
  });
  if (!row) throw new DomainError("not_found", GONE);
  const [log] = (await summarizeChatLogs(deps.db, [
    { ...row, dataKey: { destroyedAt: row.dataKey.destroyedAt } },
  ])) as [ChatLogSummary];
  if (log.isErased) return { status: "erased", log };

  // a failure here is a master key at fault, which must surface as one, not read as an erasure
  const decrypted = decryptChatLog(deps.keyring, row);
  await recordAuditEvent(deps.db, deps.clock, {
    actor: input.actor,
    action: input.unmasked ? "chat_log.unmasked" : "chat_log.viewed",
    target: { type: "chat_log", id: row.id },
    organizationId: row.organizationId,
    // the reason stays for good; like a legal hold's, without the personal data it may name
    metadata: { reason: maskPii(reason, ALL_PII_KINDS), requestId: row.requestId },
  });
  return {
    status: "open",
    log,
    conversation: conversationOf(decrypted.messages, decrypted.response, { mask: !input.unmasked }),
  };
}
