import type { ChatCompletion, ChatMessage } from "@dsc/api-client";
import type { Database } from "@dsc/db";
import { seal } from "../crypto/aead.ts";
import { getOrCreateDataKey } from "../crypto/data-keys.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { Clock } from "../time/clock.ts";
import { type ChatLogRow, insertChatLogs } from "./insert-chat-logs.ts";

/** One conversation turn to keep, in clear until the writer encrypts it. */
export interface ChatTurn {
  requestId: string;
  organizationId: string;
  apiKeyId: string | null;
  modelId: string;
  endUserId: string | null;
  messages: ChatMessage[];
  response: Pick<ChatCompletion, "choices"> | { streamedText: string };
  promptTokens: number;
  completionTokens: number;
  /** when the log stops being readable and is purged */
  expiresAt: Date;
}

export interface ChatLogWriter {
  /** Queues a turn; never waits on the database. */
  record(turn: ChatTurn): void;
  /** Writes everything queued (on an interval, when the queue is full, and at shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const TURNS_BETWEEN_YIELDS = 20;

export const chatLogContext = (organizationId: string, requestId: string, part: "request" | "response") =>
  `chat-log:${organizationId}:${requestId}:${part}`;

/**
 * Encrypts turns under their subject's data key (one per organization and end user) and
 * inserts them in batches off the response path. Plaintext is held only until the next flush.
 */
export function createChatLogWriter(
  deps: { db: Database; clock: Clock; keyring: MasterKeyring; onError?: (error: unknown) => void },
  options: { flushIntervalMs?: number; maxBatch?: number } = {},
): ChatLogWriter {
  const maxBatch = options.maxBatch ?? 200;
  let queue: ChatTurn[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1_000);
  timer.unref();

  async function writeBatch(batch: ChatTurn[]) {
    const keys = new Map<string, Awaited<ReturnType<typeof getOrCreateDataKey>>>();
    const rows: ChatLogRow[] = [];
    for (const [index, turn] of batch.entries()) {
      // sealing a whole batch at once would hold up every request for milliseconds
      if (index > 0 && index % TURNS_BETWEEN_YIELDS === 0) await new Promise(setImmediate);
      const subject = `${turn.organizationId}\u0000${turn.endUserId ?? ""}`;
      let dataKey = keys.get(subject);
      if (!dataKey) {
        dataKey = await getOrCreateDataKey(deps, {
          organizationId: turn.organizationId,
          endUserId: turn.endUserId,
        });
        keys.set(subject, dataKey);
      }
      const request = Buffer.from(JSON.stringify(turn.messages), "utf8");
      const response = Buffer.from(JSON.stringify(turn.response), "utf8");
      rows.push({
        requestId: turn.requestId,
        organizationId: turn.organizationId,
        apiKeyId: turn.apiKeyId,
        modelId: turn.modelId,
        endUserId: turn.endUserId,
        dataKeyId: dataKey.id,
        requestCiphertext: seal(
          dataKey.key,
          request,
          chatLogContext(turn.organizationId, turn.requestId, "request"),
        ),
        responseCiphertext: seal(
          dataKey.key,
          response,
          chatLogContext(turn.organizationId, turn.requestId, "response"),
        ),
        promptTokens: turn.promptTokens,
        completionTokens: turn.completionTokens,
        createdAt: deps.clock.now(),
        expiresAt: turn.expiresAt,
      });
    }
    await insertChatLogs(deps.db, rows);
  }

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      // what is queued now, and full batches: turns that arrive while this writes wait for the
      // next tick rather than being chased in batches of a few (each batch reads its data keys)
      let due = queue.length;
      while (due > 0 || queue.length >= maxBatch) {
        const batch = queue.slice(0, maxBatch);
        queue = queue.slice(batch.length);
        due = Math.max(0, due - batch.length);
        try {
          await writeBatch(batch);
        } catch (error) {
          // reported, and dropped rather than retried forever: logs are a record, not the answer
          deps.onError?.(error);
        }
      }
    });
    return flushing;
  }

  return {
    record(turn) {
      queue.push(turn);
      if (queue.length >= maxBatch) void flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
