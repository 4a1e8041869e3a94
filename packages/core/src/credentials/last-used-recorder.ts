import { type Database, Prisma } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import type { CredentialType } from "./credential-kind.ts";

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
  let uses = emptyUses();
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const maxPending = options.maxPending ?? 10_000;
  const timer = setInterval(() => void flush(), options.flushIntervalMs ?? 5_000);
  timer.unref();
  const pending = () => uses.api_key.size + uses.oauth_client.size;

  function record(type: CredentialType, id: string) {
    if (closed) return;
    uses[type].set(id, options.clock.now());
    if (pending() >= maxPending) void flush();
  }

  function flush(): Promise<void> {
    running = running.then(write);
    return running;
  }

  async function write() {
    if (pending() === 0) return;
    const taken = uses;
    uses = emptyUses();
    const unwritten: CredentialType[] = [...TYPES];
    try {
      for (const type of TYPES) {
        const batch = taken[type];
        if (batch.size > 0) {
          const ids = [...batch.keys()];
          // times as UTC text, which a `timestamp` column stores as is
          const times = [...batch.values()].map((at) => at.toISOString());
          // the table name is one of two constants, never input
          await options.db.$executeRaw`
            UPDATE ${Prisma.raw(type)} AS c SET last_used_at = v.t
            FROM unnest(${ids}::text[], ${times}::timestamp(3)[]) AS v(id, t)
            WHERE c.id = v.id AND (c.last_used_at IS NULL OR c.last_used_at < v.t)`;
        }
        unwritten.shift();
      }
      options.onFlush?.({ apiKeys: taken.api_key.size, oauthClients: taken.oauth_client.size });
    } catch (error) {
      // keep what was not written; a use recorded since then is newer and wins
      for (const type of unwritten) {
        for (const [id, at] of taken[type]) if (!uses[type].has(id)) uses[type].set(id, at);
      }
      options.onError?.(error);
    }
  }

  return {
    recordApiKeyUse: (id) => record("api_key", id),
    recordOAuthClientUse: (id) => record("oauth_client", id),
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await flush();
    },
    get pending() {
      return pending();
    },
  };
}

/** The credential tables, whose SQL names are the credential types. */
const TYPES: readonly CredentialType[] = ["api_key", "oauth_client"];

function emptyUses(): Record<CredentialType, Map<string, Date>> {
  return { api_key: new Map(), oauth_client: new Map() };
}
