import type { Database, Prisma } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";
import type { Clock } from "../time/clock.ts";
import { type ChatLogSummary, chatLogSummaryColumns, summarizeChatLogs } from "./chat-log-summaries.ts";

export interface ListChatLogsInput {
  /** required: chat_log's indexes all start with the organization */
  organizationId: string;
  apiKeyId?: string;
  endUserId?: string;
  modelId?: string;
  /** created at or after */
  from?: Date;
  /** created before */
  to?: Date;
  /** 1 to 100 */
  limit: number;
  /** the nextCursor of the page before */
  after?: string;
}

export interface ChatLogPage {
  items: ChatLogSummary[];
  nextCursor: string | null;
}

/**
 * An organization's readable logs newest first, by key, end user, model and time, a page at a
 * time, metadata only (nothing is decrypted). The (organization, created) index orders them, or
 * (organization, end user, created) for one end user; a key or model filters that scan.
 * The cursor is the last log's (created, id), not its id: a log purged or erased since the
 * page was read does not lose the place.
 */
export async function listChatLogs(
  deps: { db: Database; clock: Clock },
  input: ListChatLogsInput,
): Promise<ChatLogPage> {
  const after = input.after === undefined ? null : parseChatLogCursor(input.after);
  const created: Prisma.DateTimeFilter = {
    ...(input.from ? { gte: input.from } : {}),
    ...(input.to ? { lt: input.to } : {}),
  };
  const where: Prisma.ChatLogWhereInput = {
    organizationId: input.organizationId,
    ...(input.endUserId !== undefined ? { endUserId: input.endUserId } : {}),
    ...(input.apiKeyId !== undefined ? { apiKeyId: input.apiKeyId } : {}),
    ...(input.modelId !== undefined ? { modelId: input.modelId } : {}),
    ...(Object.keys(created).length > 0 ? { createdAt: created } : {}),
    expiresAt: { gt: deps.clock.now() },
    ...(after
      ? {
          OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }],
        }
      : {}),
  };
  const rows = await deps.db.chatLog.findMany({
    where,
    select: chatLogSummaryColumns,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    items: await summarizeChatLogs(deps.db, page),
    nextCursor: rows.length > input.limit && last ? chatLogCursor(last) : null,
  };
}

const chatLogCursor = (log: { createdAt: Date; id: string }) => `${log.createdAt.getTime()}_${log.id}`;

const CURSOR = /^(\d{1,15})_([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

function parseChatLogCursor(cursor: string): { createdAt: Date; id: string } {
  const match = CURSOR.exec(cursor);
  if (!match) throw new DomainError("invalid", "This page cursor is not one the list gave.", "after");
  return { createdAt: new Date(Number(match[1])), id: match[2] as string };
}
