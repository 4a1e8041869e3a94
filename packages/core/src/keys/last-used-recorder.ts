import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";

export interface LastUsedRecorder {
  recordApiKeyUse(apiKeyId: string): void;
  recordOAuthClientUse(clientId: string): void;
  /** Writes what was recorded since the last flush: one UPDATE per table that has uses. */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left (call on shutdown, before the database closes). */
  close(): Promise<void>;
  /** credentials whose use is not written yet */
  readonly pending: number;
}

export interface LastUsedRecorderOptions {
  db: Database;
  clock: Clock;
  /** how often pending uses are written (default 5 s) */
  flushIntervalMs?: number;
  /** flush early when this many credentials are pending (default 10,000) */
  maxPending?: number;
  /** after each write that changed something: the number of credentials written per table */
  onFlush?: (written: { apiKeys: number; oauthClients: number }) => void;
  onError?: (error: unknown) => void;
}

/**
 * `last_used_at` without a write per request: uses are kept in memory (the latest time per
 * credential) and written in batches every few seconds, one UPDATE per table and batch. A
 * write never moves `last_used_at` backwards. A failed write keeps its uses for the next one.
 */
export function createLastUsedRecorder(options: LastUsedRecorderOptions): LastUsedRecorder {
  let apiKeys = new Map<string, Date>();
  let oauthClients = new Map<string, Date>();
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const maxPending = options.maxPending ?? 10_000;
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 5_000);
  timer.unref();

  function record(uses: Map<string, Date>, id: string) {
    if (closed) return;
    uses.set(id, options.clock.now());
    if (apiKeys.size + oauthClients.size >= maxPending) void flush();
  }

  function flush(): Promise<void> {
    running = running.then(write);
    return running;
  }

  async function write() {
    const keys = apiKeys;
    const clients = oauthClients;
    if (keys.size === 0 && clients.size === 0) return;
    apiKeys = new Map();
    oauthClients = new Map();
    let keysWritten = false;
    try {
      if (keys.size > 0) {
        const [ids, times] = columns(keys);
        await options.db.$executeRaw`
          UPDATE api_key AS k SET last_used_at = v.t
          FROM unnest(${ids}::text[], ${times}::timestamp(3)[]) AS v(id, t)
          WHERE k.id = v.id AND (k.last_used_at IS NULL OR k.last_used_at < v.t)`;
        keysWritten = true;
      }
      if (clients.size > 0) {
        const [ids, times] = columns(clients);
        await options.db.$executeRaw`
          UPDATE oauth_client AS c SET last_used_at = v.t
          FROM unnest(${ids}::text[], ${times}::timestamp(3)[]) AS v(id, t)
          WHERE c.id = v.id AND (c.last_used_at IS NULL OR c.last_used_at < v.t)`;
      }
      options.onFlush?.({ apiKeys: keys.size, oauthClients: clients.size });
    } catch (error) {
      // keep what was not written; a use recorded since then is newer and wins
      const unwritten: [Map<string, Date>, Map<string, Date>][] = [[clients, oauthClients]];
      if (!keysWritten) unwritten.push([keys, apiKeys]);
      for (const [from, into] of unwritten) for (const [id, at] of from) if (!into.has(id)) into.set(id, at);
      options.onError?.(error);
    }
  }

  return {
    recordApiKeyUse: (id) => record(apiKeys, id),
    recordOAuthClientUse: (id) => record(oauthClients, id),
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
    },
    get pending() {
      return apiKeys.size + oauthClients.size;
    },
  };
}

/** ids and times as parallel arrays; times as UTC text, which a `timestamp` column stores as is */
function columns(uses: Map<string, Date>): [string[], string[]] {
  return [[...uses.keys()], [...uses.values()].map((at) => at.toISOString())];
}
