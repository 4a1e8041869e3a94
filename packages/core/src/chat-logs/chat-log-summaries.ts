import type { Database } from "@dsc/db";
import { coveringDigests, findErasureStarts } from "./erasure-tombstones.ts";

/** What the dashboard shows of a stored log without opening it: metadata only, never content. */
export interface ChatLogSummary {
  id: string;
  requestId: string;
  organizationId: string;
  apiKeyId: string | null;
  /** the key's name, or null when the log has no key or the key is gone */
  apiKeyName: string | null;
  modelId: string;
  endUserId: string | null;
  promptTokens: number;
  completionTokens: number;
  createdAt: Date;
  expiresAt: Date;
  /**
   * Its subject's erasure started after the log was written (the log is being, or about to be,
   * deleted), or its data key is already destroyed: its content can no longer be read.
   */
  isErased: boolean;
}

/** The columns of a log a summary needs; its data key only for whether an erasure destroyed it. */
export const chatLogSummaryColumns = {
  id: true,
  requestId: true,
  organizationId: true,
  apiKeyId: true,
  modelId: true,
  endUserId: true,
  promptTokens: true,
  completionTokens: true,
  createdAt: true,
  expiresAt: true,
  dataKey: { select: { destroyedAt: true } },
} as const;

/** A log as read with `chatLogSummaryColumns`. */
export type ChatLogSummaryRow = Omit<ChatLogSummary, "apiKeyName" | "isErased"> & {
  dataKey: { destroyedAt: Date | null };
};

/**
 * Summaries of a page of logs: the names of their keys in one query, and the tombstones of their
 * subjects in another (by primary key), whatever the page's size.
 */
export async function summarizeChatLogs(db: Database, rows: ChatLogSummaryRow[]): Promise<ChatLogSummary[]> {
  if (rows.length === 0) return [];
  const keyIds = [...new Set(rows.flatMap((row) => (row.apiKeyId ? [row.apiKeyId] : [])))];
  const [keys, erasureStarts] = await Promise.all([
    keyIds.length > 0
      ? db.apiKey.findMany({ where: { id: { in: keyIds } }, select: { id: true, name: true } })
      : [],
    findErasureStarts(db, rows.flatMap(coveringDigests)),
  ]);
  const keyNames = new Map(keys.map((key) => [key.id, key.name]));
  return rows.map((row) => ({
    id: row.id,
    requestId: row.requestId,
    organizationId: row.organizationId,
    apiKeyId: row.apiKeyId,
    apiKeyName: row.apiKeyId ? (keyNames.get(row.apiKeyId) ?? null) : null,
    modelId: row.modelId,
    endUserId: row.endUserId,
    promptTokens: row.promptTokens,
    completionTokens: row.completionTokens,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    isErased:
      row.dataKey.destroyedAt !== null ||
      // as the writer decides: an erasure that started after the turn was written covers it
      coveringDigests(row).some((digest) => {
        const start = erasureStarts.get(digest);
        return start !== undefined && start >= row.createdAt;
      }),
  }));
}
