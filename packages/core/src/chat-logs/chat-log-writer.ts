import type { ChatCompletion, ChatMessage } from "@dsc/api-client";
import type { Database } from "@dsc/db";
import { createDataKeyCache } from "../crypto/data-key-cache.ts";
import type { DataKey } from "../crypto/data-keys.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";
import { isRefusedRecord } from "../errors/refused-record.ts";
import type { PiiKind } from "../masking/pii-masking.ts";
import { createInlineTextWork, type TextWork } from "../text-work/text-work.ts";
import type { Clock } from "../time/clock.ts";
import { queuedTraces, withRootSpan } from "../tracing/spans.ts";
import {
  type ChatLogBacklogOptions,
  type ChatLogBacklogStats,
  createChatLogBacklog,
} from "./chat-log-backlog.ts";
import { deleteUnusedDataKeys, dropErasedTurns, type ErasureView } from "./drop-erased-turns.ts";
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
  /** rows kept for a retry while the database fails, failed writes, rows given up */
  readonly stats?: ChatLogBacklogStats;
  /** turns recorded and not written yet: waiting to be sealed, or sealed and waiting for a batch */
  readonly queued?: number;
}

/** turns masked and sealed per turn of the event loop, so that requests interleave */
const TURNS_PER_SLICE = 20;
/** rows per write (a COPY, or the statement after a refusal): its data is encoded in one go on the event loop */
const ROWS_PER_INSERT = 100;
/**
 * ciphertext per write, and sealed ciphertext that starts a flush: a tier may allow prompts of
 * megabytes, and a hundred of them in one write would be one buffer of hundreds of megabytes
 */
const BYTES_PER_INSERT = 4 * 1024 * 1024;

/** A turn waiting to be sealed, and when it was recorded, which decides whether an erasure covers it. */
interface RecordedTurn {
  turn: ChatTurn;
  recordedAt: Date;
}

/**
 * A turn once sealed: its row, and what writing it may still need, never its text. The key it
 * was sealed under opens it again should an erasure delete that key before the row is written.
 */
interface SealedTurn {
  row: ChatLogRow;
  recordedAt: Date;
  dataKey: DataKey;
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
 * A turn's text is held only until it is sealed: batches, and the backlog kept while the
 * database fails, hold ciphertext. A row whose key an erasure deleted before it was written is
 * opened with that key and sealed again under the subject's new one.
 */
export function createChatLogWriter(
  deps: {
    db: Database;
    clock: Clock;
    keyring: MasterKeyring;
    textWork?: TextWork;
    onError?: (error: unknown) => void;
    /** told about rows given up (never silently): over the backlog's bound, or refused for their data */
    onDropped?: (count: number, error: unknown) => void;
    /** turns dropped because their subject's erasure started after they were recorded */
    onDroppedForErasure?: (count: number) => void;
    /** told how long each batch took to write, or to fail (the gateway's metrics) */
    observeBatch?: (seconds: number) => void;
  },
  options: {
    flushIntervalMs?: number;
    maxBatch?: number;
    /** ciphertext bytes per write and sealed bytes that start a flush (BYTES_PER_INSERT) */
    maxInsertBytes?: number;
    /** how rows the database failed to take are kept and retried */
    backlog?: Pick<
      ChatLogBacklogOptions<unknown>,
      "maxPending" | "maxPendingBytes" | "baseDelayMs" | "maxDelayMs"
    >;
  } = {},
): ChatLogWriter {
  const maxBatch = options.maxBatch ?? 200;
  const maxInsertBytes = options.maxInsertBytes ?? BYTES_PER_INSERT;
  const keys = createDataKeyCache(deps);
  const textWork = deps.textWork ?? createInlineTextWork();
  let unsealed: RecordedTurn[] = [];
  /**
   * Where the turns not yet handed to sealing start in `unsealed`: a slice moves it on rather
   * than copying the rest of the queue, which made a backlog of n turns cost n²/20 copies.
   */
  let unsealedFrom = 0;
  let sealed: SealedTurn[] = [];
  let sealedBytes = 0;
  /** turns whose subject's key is being loaded or that are being sealed */
  const sealing = new Set<Promise<void>>();
  let sealingScheduled = false;
  /** a flush for a full batch is queued: more full slices need no other */
  let fullBatchFlushQueued = false;
  let flushing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 1_000);
  timer.unref();

  const report = (error: unknown) => deps.onError?.(error);
  const backlog = createChatLogBacklog<SealedTurn>({
    clock: deps.clock,
    bytesOf: ciphertextBytesOf,
    ...options.backlog,
    onDrop: (count, error) => deps.onDropped?.(count, error),
  });

  const traces = queuedTraces<ChatTurn | SealedTurn>("chat log queued");
  const viewOfRecorded = ({ turn, recordedAt }: RecordedTurn): ErasureView => ({ subject: turn, recordedAt });
  const viewOfSealed = (entry: SealedTurn): ErasureView => ({
    subject: entry.row,
    recordedAt: entry.recordedAt,
  });

  /** Splits off the turns an erasure covers (erasure-tombstones.ts), counting them. */
  async function splitErased<T>(entries: T[], viewOf: (entry: T) => ErasureView) {
    const split = await dropErasedTurns(deps.db, entries, viewOf);
    if (split.dropped.length > 0) deps.onDroppedForErasure?.(split.dropped.length);
    return split;
  }

  const withoutErased = async <T>(entries: T[], viewOf: (entry: T) => ErasureView) =>
    (await splitErased(entries, viewOf)).kept;

  /**
   * Leaves out sealed turns an erasure covers, and deletes the keys they were sealed under when
   * no log uses them: a key loaded after the erasure deleted the subject's keys was made afresh
   * for these turns, and would outlive the erasure, naming the end user it erased. A turn of new
   * traffic sealed under such a key finds it gone at insert and is sealed again under a new one.
   */
  async function withoutErasedSealed(entries: SealedTurn[]): Promise<SealedTurn[]> {
    const { kept, dropped } = await splitErased(entries, viewOfSealed);
    if (dropped.length === 0) return kept;
    for (const entry of dropped) keys.forget(entry.row);
    await deleteUnusedDataKeys(
      deps.db,
      dropped.map((entry) => entry.row.dataKeyId),
    );
    return kept;
  }

  async function sealTurn({ turn, recordedAt }: RecordedTurn, dataKey: DataKey): Promise<SealedTurn> {
    const { requestCiphertext, responseCiphertext } = await textWork.sealChatTurn({
      messages: turn.messages,
      response: turn.response,
      maskKinds: turn.maskKinds,
      key: dataKey.key,
      requestContext: chatLogContext(turn.organizationId, turn.requestId, "request"),
      responseContext: chatLogContext(turn.organizationId, turn.requestId, "response"),
    });
    const entry: SealedTurn = {
      recordedAt,
      dataKey,
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
    traces.handOver(turn, entry);
    return entry;
  }

  /**
   * Starts sealing `turns`: a small turn whose key is at hand is sealed before this returns,
   * a large one in the pool, the others once their key is loaded. `flush` waits for them all.
   */
  function startSealing(turns: RecordedTurn[]) {
    const keyless: RecordedTurn[] = [];
    for (const recorded of turns) {
      const dataKey = keys.peek(recorded.turn);
      if (dataKey) track(sealTurn(recorded, dataKey).then(keep));
      else keyless.push(recorded);
    }
    if (keyless.length > 0) track(sealWithLoadedKeys(keyless));
  }

  function keep(entry: SealedTurn) {
    sealed.push(entry);
    sealedBytes += ciphertextBytesOf(entry);
    flushIfFull();
  }

  function track(started: Promise<void>) {
    const work: Promise<void> = started.catch(report).finally(() => sealing.delete(work));
    sealing.add(work);
  }

  /**
   * Loading a key creates it when the subject has none, as after an erasure deleted it: the
   * turns that erasure covers are dropped first, so that no key is made for them.
   */
  async function sealWithLoadedKeys(turns: RecordedTurn[]) {
    const wanted = await withoutErased(turns, viewOfRecorded);
    await Promise.all(
      wanted.map(async (recorded) => keep(await sealTurn(recorded, await keys.get(recorded.turn)))),
    );
  }

  function flushIfFull() {
    if ((sealed.length >= maxBatch || sealedBytes >= maxInsertBytes) && !fullBatchFlushQueued) {
      fullBatchFlushQueued = true;
      void flush().finally(() => {
        fullBatchFlushQueued = false;
      });
    }
  }

  const unsealedCount = () => unsealed.length - unsealedFrom;

  /** The next `count` recorded turns, in order, out of the queue. */
  function takeUnsealed(count: number): RecordedTurn[] {
    const taken = unsealed.slice(unsealedFrom, unsealedFrom + count);
    unsealedFrom += taken.length;
    // the taken head is dropped once it is the larger part: each turn is copied at most once more
    if (unsealedFrom * 2 >= unsealed.length) {
      unsealed = unsealed.slice(unsealedFrom);
      unsealedFrom = 0;
    }
    return taken;
  }

  function sealSlice() {
    sealingScheduled = false;
    startSealing(takeUnsealed(TURNS_PER_SLICE));
    if (unsealedCount() > 0) scheduleSealing();
  }

  function scheduleSealing() {
    if (sealingScheduled) return;
    sealingScheduled = true;
    // after the answer that recorded the turn has gone out, and after pending I/O
    setImmediate(sealSlice);
  }

  /**
   * A sealed row under another key: opened with the key it was sealed under and sealed again,
   * in the text-work pool when large. Only ciphertext is held until a row is written, so this
   * is how a row whose key was deleted meanwhile is written after all.
   */
  async function resealed(entry: SealedTurn, dataKey: DataKey): Promise<ChatLogRow> {
    const { row } = entry;
    const ciphertexts = await textWork.resealChatTurn({
      requestCiphertext: row.requestCiphertext,
      responseCiphertext: row.responseCiphertext,
      fromKey: entry.dataKey.key,
      toKey: dataKey.key,
      requestContext: chatLogContext(row.organizationId, row.requestId, "request"),
      responseContext: chatLogContext(row.organizationId, row.requestId, "response"),
    });
    return { ...row, ...ciphertexts, dataKeyId: dataKey.id };
  }

  /** Seals again under keys read afresh (a key was deleted by an erasure) and inserts. */
  async function resealAndInsert(all: SealedTurn[]) {
    // an erasure is the usual reason a key is gone: its turns must not get a new one
    const entries = await withoutErased(all, viewOfSealed);
    for (const entry of entries) keys.forget(entry.row);
    const rows: ChatLogRow[] = [];
    for (const entry of entries) rows.push(await resealed(entry, await keys.get(entry.row)));
    const { presentDataKeyIds } = await insertChatLogs(deps.db, rows);
    const lost = rows.filter((row) => !presentDataKeyIds.has(row.dataKeyId)).length;
    if (lost > 0) throw new Error(`${lost} chat logs lost their data key twice while being written`);
  }

  /**
   * Writes a batch; answers false when the database failed and the batch is kept for a retry
   * (with backoff). A row the database refuses for its data (a token count beyond the column),
   * which no retry changes, is dropped and counted, alone: it fails the statement of its whole
   * batch, so that batch is written again row by row.
   */
  async function insert(due: SealedTurn[]): Promise<boolean> {
    try {
      const batch = await withoutErasedSealed(due);
      const { presentDataKeyIds } = await insertChatLogs(
        deps.db,
        batch.map((entry) => entry.row),
      );
      const orphans = batch.filter((entry) => !presentDataKeyIds.has(entry.row.dataKeyId));
      if (orphans.length > 0) await resealAndInsert(orphans);
    } catch {
      // e.g. a key deleted between the check and the write: once more under keys read again
      try {
        await resealAndInsert(due);
      } catch (error) {
        if (!isRefusedRecord(error)) {
          report(error);
          backlog.keep(due, error);
          return false;
        }
        if (due.length > 1) return insertEach(due);
        report(error);
        backlog.drop(due.length, error);
      }
    }
    backlog.succeeded();
    return true;
  }

  /** Writes row by row; past a failure of the database, the rest waits with the failed row. */
  async function insertEach(due: SealedTurn[]): Promise<boolean> {
    for (const [index, entry] of due.entries()) {
      if (await insert([entry])) continue;
      backlog.defer(due.slice(index + 1));
      return false;
    }
    return true;
  }

  /** `isClosing`: the kept rows are tried at once, whatever the backoff says. */
  function flush(isClosing = false): Promise<void> {
    flushing = flushing.then(async () => {
      // what is recorded by now, sealed now rather than slice by slice, then written
      while (unsealedCount() > 0 || sealing.size > 0) {
        startSealing(takeUnsealed(unsealedCount()));
        await Promise.all(sealing);
      }
      let due = backlog.admit(sealed, isClosing);
      sealed = [];
      sealedBytes = 0;
      for (let start = 0, end = 0; start < due.length; start = end) {
        if (start > 0) await new Promise(setImmediate);
        end = endOfWrite(due, start, maxInsertBytes);
        const rows = due.slice(start, end);
        // a trace of its own per batch: the batch serves many requests, none of them waits for
        // it; its links lead to them
        const startedAt = performance.now();
        const isWritten = await withRootSpan(
          "write chat logs",
          { "dsc.batch.rows": rows.length },
          () => insert(rows),
          traces.linksOf(rows),
        );
        deps.observeBatch?.((performance.now() - startedAt) / 1e3);
        if (isWritten) continue;
        // the database is failing: the rest waits with the failed batch rather than try now
        backlog.defer(due.slice(end));
        due = [];
      }
    });
    return flushing;
  }

  return {
    record(turn) {
      traces.mark(turn);
      unsealed.push({ turn, recordedAt: deps.clock.now() });
      scheduleSealing();
    },
    flush: () => flush(),
    stats: backlog.stats,
    get queued() {
      return unsealedCount() + sealed.length;
    },
    async close() {
      clearInterval(timer);
      // a few attempts: a clean shutdown should not lose what the database briefly refused
      await flush(true);
      for (let attempt = 1; attempt < 3 && backlog.stats.pending > 0; attempt++) await flush(true);
      backlog.abandon(new Error("the chat-log writer closed while the database refused its rows"));
    },
  };
}

const ciphertextBytesOf = (entry: SealedTurn) =>
  entry.row.requestCiphertext.byteLength + entry.row.responseCiphertext.byteLength;

/**
 * Where the write that starts at `start` ends: at most ROWS_PER_INSERT rows and `maxBytes` of
 * ciphertext, and at least one row, however large.
 */
function endOfWrite(due: readonly SealedTurn[], start: number, maxBytes: number): number {
  let bytes = ciphertextBytesOf(due[start] as SealedTurn);
  let end = start + 1;
  while (end < due.length && end - start < ROWS_PER_INSERT) {
    bytes += ciphertextBytesOf(due[end] as SealedTurn);
    if (bytes > maxBytes) break;
    end += 1;
  }
  return end;
}
