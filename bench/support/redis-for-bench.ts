import { findRedisServerBinary, startOwnRedisServer } from "../../test/support/redis-server.ts";

/** The Redis a benchmark uses, and where it comes from (for the report). */
export interface BenchRedis {
  url: string;
  origin: string;
  stop(): Promise<void>;
}

/** REDIS_URL, else a redis-server of this run's own (on PATH or REDIS_SERVER_BIN), else null. */
export async function redisForBench(): Promise<BenchRedis | null> {
  if (process.env.REDIS_URL) {
    return { url: process.env.REDIS_URL, stop: async () => {}, origin: "REDIS_URL" };
  }
  const binary = findRedisServerBinary();
  if (!binary) return null;
  const server = await startOwnRedisServer(binary);
  return { url: server.url, stop: server.dispose, origin: "a redis-server of its own" };
}
