import type { ChatLog, Database, DataKey } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { open } from "../crypto/aead.ts";
import { unwrap } from "../crypto/data-keys.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { Clock } from "../time/clock.ts";
import { chatLogContext } from "./chat-log-writer.ts";

export interface DecryptedChatLog {
  id: string;
  requestId: string;
  modelId: string;
  endUserId: string | null;
  createdAt: Date;
  expiresAt: Date;
  promptTokens: number;
  completionTokens: number;
  messages: unknown;
  response: unknown;
}

/** Whose logs: an organization's, or one of its end users'. */
export interface ChatLogSubject {
  organizationId: string;
  endUserId?: string;
}

type ChatLogDeps = { db: Database; clock: Clock; keyring: MasterKeyring };

/** rows decrypted per query: bounds what a read of a large subject holds at once */
export const CHAT_LOG_PAGE_SIZE = 500;

const readableLogsOf = (subject: ChatLogSubject, now: Date) => ({
  organizationId: subject.organizationId,
  ...(subject.endUserId !== undefined ? { endUserId: subject.endUserId } : {}),
  expiresAt: { gt: now },
});

/** How many logs of the subject are readable (not expired) now. */
export function countReadableChatLogs(deps: { db: Database; clock: Clock }, subject: ChatLogSubject) {
  return deps.db.chatLog.count({ where: readableLogsOf(subject, deps.clock.now()) });
}

/** Where a page of logs starts: after the last log of the page before. */
export type ChatLogPageStart = { createdAt: Date; id: string } | null;

/**
 * The query for one page of a subject's readable logs with their data keys, in (created_at,
 * id) order: the id breaks ties between turns stored in the same millisecond.
 */
export function chatLogPageQuery(
  subject: ChatLogSubject,
  now: Date,
  after: ChatLogPageStart,
  pageSize: number,
) {
  const readable = readableLogsOf(subject, now);
  return {
    where: after
      ? {
          ...readable,
          OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }],
        }
      : readable,
    include: { dataKey: true },
    orderBy: [{ createdAt: "asc" as const }, { id: "asc" as const }],
    take: pageSize,
  };
}

/**
 * The readable logs of a subject, decrypted, oldest first, a page at a time: a subject with
 * many logs is never held in memory whole. Every log readable when the read began comes once.
 * Not audited: callers record the read.
 */
export async function* decryptedChatLogPages(
  deps: ChatLogDeps,
  subject: ChatLogSubject,
  pageSize = CHAT_LOG_PAGE_SIZE,
): AsyncGenerator<DecryptedChatLog[]> {
  const now = deps.clock.now();
  const keys = new Map<string, Buffer>();
  let after: ChatLogPageStart = null;
  for (;;) {
    const logs: (ChatLog & { dataKey: DataKey })[] = await deps.db.chatLog.findMany(
      chatLogPageQuery(subject, now, after, pageSize),
    );
    if (logs.length > 0) yield logs.map((log) => decryptChatLog(deps.keyring, log, keys));
    const last = logs.at(-1);
    if (!last || logs.length < pageSize) return;
    after = { createdAt: last.createdAt, id: last.id };
  }
}

/**
 * One stored log opened with its data key; `keys` keeps the unwrapped data keys of a read of
 * many logs. Throws when the data key or the master key cannot open it.
 */
export function decryptChatLog(
  keyring: MasterKeyring,
  log: ChatLog & { dataKey: DataKey },
  keys: Map<string, Buffer> = new Map(),
): DecryptedChatLog {
  let key = keys.get(log.dataKeyId);
  if (!key) {
    key = unwrap(keyring, log.dataKey);
    keys.set(log.dataKeyId, key);
  }
  const read = (sealed: Uint8Array, part: "request" | "response") =>
    JSON.parse(
      open(key, Buffer.from(sealed), chatLogContext(log.organizationId, log.requestId, part)).toString(
        "utf8",
      ),
    );
  return {
    id: log.id,
    requestId: log.requestId,
    modelId: log.modelId,
    endUserId: log.endUserId,
    createdAt: log.createdAt,
    expiresAt: log.expiresAt,
    promptTokens: log.promptTokens,
    completionTokens: log.completionTokens,
    messages: read(log.requestCiphertext, "request"),
    response: read(log.responseCiphertext, "response"),
  };
}

/** Records in the audit trail who reads whose logs, how many, and why. */
export function recordChatLogRead(
  deps: { db: Database; clock: Clock },
  input: ChatLogSubject & { actor: Actor; purpose: string; count: number },
) {
  return recordAuditEvent(deps.db, deps.clock, {
    actor: input.actor,
    action: "chat_log.decrypt",
    target: {
      type: input.endUserId !== undefined ? "end_user" : "organization",
      id: input.endUserId ?? input.organizationId,
    },
    organizationId: input.organizationId,
    metadata: { count: input.count, purpose: input.purpose },
  });
}

/**
 * The readable (not expired) logs of an organization, or of one of its end users, decrypted,
 * oldest first, all at once (decryptedChatLogPages reads them a page at a time). Audited.
 */
export async function readChatLogs(
  deps: ChatLogDeps,
  input: ChatLogSubject & { actor: Actor; purpose: string },
): Promise<DecryptedChatLog[]> {
  const decrypted: DecryptedChatLog[] = [];
  for await (const page of decryptedChatLogPages(deps, input)) decrypted.push(...page);
  await recordChatLogRead(deps, { ...input, count: decrypted.length });
  return decrypted;
}
