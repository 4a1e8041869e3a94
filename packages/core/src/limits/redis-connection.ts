import type { Socket } from "node:net";
import { type Command, Redis } from "ioredis";

export interface RedisConnectionOptions {
  /** a command that has not answered by then fails (default 500 ms) */
  commandTimeoutMs?: number;
  /** the longest wait between reconnection attempts (default 1 s) */
  maxReconnectDelayMs?: number;
  /** told about connection errors (ioredis raises them on every failed attempt) */
  onError?: (error: unknown) => void;
}

/**
 * A Redis connection for shared limits and the response cache, tuned to fail fast: while it
 * is down, commands fail at once (no offline queue, no retries per command) so that callers
 * fall back instead of waiting, and it reconnects in the background until it is back.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions = {}): Redis {
  const maxDelay = options.maxReconnectDelayMs ?? 1_000;
  const redis = new TurnWriteRedis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 500,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
  });
  redis.on("error", options.onError ?? (() => {}));
  return redis;
}

/**
 * A client whose commands of one turn of the event loop (the checks and settlements of the
 * requests in flight) leave in one write: the turn's first command corks the connection's socket
 * and the turn's end (setImmediate) uncorks it. A system call per command each way was a tenth of
 * the gateway's CPU under load. ioredis' own `enableAutoPipelining` also writes once a turn, but
 * through a Pipeline per turn whose objects, commands and replies outlived young-generation
 * collections, finished or not: the gateway with Redis promoted 5 KB a request into the old
 * generation instead of 1 KB, and in isolation two scripts took 29 µs of CPU with it against 19
 * with the socket corked (docs/benchmarks.md, "What the collector columns show").
 */
class TurnWriteRedis extends Redis {
  /** the socket corked in this turn, if any; a reconnection brings another */
  private corkedSocket: Socket | undefined;

  override sendCommand(command: Command, stream?: Parameters<Redis["sendCommand"]>[1]): unknown {
    // a pipeline writes through a stream of its own; only a ready connection has its socket
    if (stream === undefined && this.corkedSocket === undefined && this.status === "ready") {
      const socket = this.stream as Socket;
      socket.cork();
      this.corkedSocket = socket;
      setImmediate(() => {
        if (this.corkedSocket === socket) this.writeNow();
      });
    }
    return super.sendCommand(command, stream);
  }

  /** Writes what this turn has sent so far, instead of at the turn's end. */
  writeNow(): void {
    const socket = this.corkedSocket;
    this.corkedSocket = undefined;
    socket?.uncork();
  }
}

/**
 * Writes what `redis` was sent in this turn now. For commands sent at a turn's end (from
 * setImmediate): otherwise their write would wait for the end of the next turn.
 */
export function writeTurnNow(redis: Redis): void {
  if (redis instanceof TurnWriteRedis) redis.writeNow();
}

/** Resolves once the connection is ready, or after `timeoutMs` (then it goes on trying). */
export async function waitUntilConnected(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === "ready") return true;
  if (redis.status === "wait") redis.connect().catch(() => {});
  return new Promise((resolve) => {
    const done = (isReady: boolean) => {
      clearTimeout(timer);
      redis.off("ready", onReady);
      resolve(isReady);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    redis.once("ready", onReady);
  });
}
