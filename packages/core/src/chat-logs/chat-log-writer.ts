import type { ChatCompletion, ChatMessage } from "@dsc/api-client";
import type { Database } from "@dsc/db";
import { createDataKeyCache } from "../crypto/data-key-cache.ts";
import type { DataKey } from "../crypto/data-keys.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import type { PiiKind } from "../masking/pii-masking.ts";
import { createInlineTextWork, type TextWork } from "../text-work/text-work.ts";
import type { Clock } from "../time/clock.ts";
import { type ChatLogRow, insertChatLogs } from "./insert-chat-logs.ts";

/** One conversation turn to keep, in clear until the writer masks and encrypts it. */
export interface ChatTurn {
  requestId: string;
  organizationId: string;
  apiKeyId: string | null;
  modelId: string;
  endUserId: string | null;
  messages: ChatMessage[];
  response: Pick<ChatCompletion, "choices"> | { streamedText: string };
  /** personal data to mask in the messages and the response before they are sealed */
  maskKinds: readonly PiiKind[];
  promptTokens: number;
  completionTokens: number;
  /** when the log stops being readable and is purged */
  expiresAt: Date;
}

export interface ChatLogWriter {
  /** Queues a turn; never waits on the database and does no work on the caller's path. */
  record(turn: ChatTurn): void;
  /** Writes everything queued (on an interval, when the queue is full, and at shutdown). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

/** turns masked and sealed per turn of the event loop, so that requests interleave */
const TURNS_PER_SLICE = 20;
/** rows per INSERT: a statement's parameters are prepared in one go on the event loop */
const ROWS_PER_INSERT = 100;

interface SealedTurn {
  turn: ChatTurn;
  row: ChatLogRow;
}

export const chatLogContext = (organizationId: string, requestId: string, part: "request" | "response") =>
  `chat-log:${organizationId}:${requestId}:${part}`;

/**
 * Masks and encrypts each turn under its subject's data key (one per organization and end
 * user) soon after it is recorded, a few turns per turn of the event loop, and inserts the
 * sealed rows in batches. Sealing each turn as it comes spreads the work evenly: sealing a
 * second's worth at flush time held every request behind it for tens of milliseconds. A
 * large turn is masked and sealed in the text-work pool (`deps.textWork`; without one, on
 * the event loop, which is for tools and tests with small turns only): masking a prompt of
 * hundreds of KB takes longer than any other request should wait.
 * Plaintext is held until the turn's row is written.
 */
export function createChatLogWriter(
  deps: {
    db: Database;
    clock: Clock;
    keyring: MasterKeyring;
    textWork?: TextWork;
    onError?: (error: unknown) => void;
  },
  options: { flushIntervalMs?: number; maxBatch?: number } = {},
): ChatLogWriter {
  const maxBatch = options.maxBatch ?? 200;
  const keys = createDataKeyCache(deps);
  const textWork = deps.textWork ?? createInlineTextWork();
  let unsealed: ChatTurn[] = [];
  let sealed: SealedTurn[] = [];
  /** turns whose subject's key is being loaded or that are being sealed */
  const sealing = new Set<Promise<void>>();
  let sealingScheduled = false;
  /** a flush for a full batch is queued: more full slices need no other */
  let fullBatchFlushQueued = false;
  let flushing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1_000);
  timer.unref();

  const report = (error: unknown) => deps.onError?.(error);

  async function sealTurn(turn: ChatTurn, dataKey: DataKey): Promise<SealedTurn> {
    const { requestCiphertext, responseCiphertext } = await textWork.sealChatTurn({
      messages: turn.messages,
      response: turn.response,
      maskKinds: turn.maskKinds,
      key: dataKey.key,
      requestContext: chatLogContext(turn.organizationId, turn.requestId, "request"),
      responseContext: chatLogContext(turn.organizationId, turn.requestId, "response"),
    });
    return {
      turn,
      row: {
        requestId: turn.requestId,
        organizationId: turn.organizationId,
        apiKeyId: turn.apiKeyId,
        modelId: turn.modelId,
        endUserId: turn.endUserId,
        dataKeyId: dataKey.id,
        requestCiphertext,
        responseCiphertext,
        promptTokens: turn.promptTokens,
        completionTokens: turn.completionTokens,
        createdAt: deps.clock.now(),
        expiresAt: turn.expiresAt,
      },
    };
  }

  /**
   * Starts sealing `turns`: a small turn whose key is at hand is sealed before this returns,
   * a large one in the pool, the others once their key is loaded. `flush` waits for them all.
   */
  function startSealing(turns: ChatTurn[]) {
    for (const turn of turns) {
      const dataKey = keys.peek(turn);
      const work: Promise<void> = (
        dataKey ? sealTurn(turn, dataKey) : keys.get(turn).then((loaded) => sealTurn(turn, loaded))
      )
        .then((entry) => {
          sealed.push(entry);
          flushIfFull();
        })
        .catch(report)
        .finally(() => sealing.delete(work));
      sealing.add(work);
    }
  }

  function flushIfFull() {
    if (sealed.length >= maxBatch && !fullBatchFlushQueued) {
      fullBatchFlushQueued = true;
      void flush().finally(() => {
        fullBatchFlushQueued = false;
      });
    }
  }

  function sealSlice() {
    sealingScheduled = false;
    const slice = unsealed.slice(0, TURNS_PER_SLICE);
    unsealed = unsealed.slice(slice.length);
    startSealing(slice);
    if (unsealed.length > 0) scheduleSealing();
  }

  function scheduleSealing() {
    if (sealingScheduled) return;
    sealingScheduled = true;
    // after the answer that recorded the turn has gone out, and after pending I/O
    setImmediate(sealSlice);
  }

  /** Seals again under keys read afresh (a key was deleted by an erasure) and inserts. */
  async function resealAndInsert(turns: ChatTurn[]) {
    for (const turn of turns) keys.forget(turn);
    const rows: ChatLogRow[] = [];
    for (const turn of turns) rows.push((await sealTurn(turn, await keys.get(turn))).row);
    const { presentDataKeyIds } = await insertChatLogs(deps.db, rows);
    const lost = rows.filter((row) => !presentDataKeyIds.has(row.dataKeyId)).length;
    if (lost > 0) throw new Error(`${lost} chat logs lost their data key twice while being written`);
  }

  async function insert(batch: SealedTurn[]) {
    try {
      const { presentDataKeyIds } = await insertChatLogs(
        deps.db,
        batch.map((entry) => entry.row),
      );
      const orphans = batch.filter((entry) => !presentDataKeyIds.has(entry.row.dataKeyId));
      if (orphans.length > 0) await resealAndInsert(orphans.map((entry) => entry.turn));
    } catch (firstError) {
      // e.g. a key deleted between the check and the write: once more under keys read again
      try {
        await resealAndInsert(batch.map((entry) => entry.turn));
      } catch {
        // reported, and dropped rather than retried forever: logs are a record, not the answer
        report(firstError);
      }
    }
  }

  function flush(): Promise<void> {
    flushing = flushing.then(async () => {
      // what is recorded by now, sealed now rather than slice by slice, then written
      while (unsealed.length > 0 || sealing.size > 0) {
        const turns = unsealed;
        unsealed = [];
        startSealing(turns);
        await Promise.all(sealing);
      }
      const due = sealed;
      sealed = [];
      for (let start = 0; start < due.length; start += ROWS_PER_INSERT) {
        if (start > 0) await new Promise(setImmediate);
        await insert(due.slice(start, start + ROWS_PER_INSERT));
      }
    });
    return flushing;
  }

  return {
    record(turn) {
      unsealed.push(turn);
      scheduleSealing();
    },
    flush,
    async close() {
      clearInterval(timer);
      await flush();
    },
  };
}
