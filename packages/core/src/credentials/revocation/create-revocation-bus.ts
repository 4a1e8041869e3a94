import {
  createPostgresNotifications,
  type PostgresNotifications,
} from "../../notifications/postgres-notifications.ts";
import { createPostgresRevocationBus } from "./postgres-revocation-bus.ts";
import { createRedisRevocationBus } from "./redis-revocation-bus.ts";
import type { RevocationBus } from "./revocation-bus.ts";

/** Redis pub/sub when Redis is configured, PostgreSQL LISTEN/NOTIFY otherwise. */
export function createRevocationBus(
  options: { redisUrl: string | null | undefined; notifications: PostgresNotifications },
  onError?: (error: unknown) => void,
): RevocationBus {
  return options.redisUrl
    ? createRedisRevocationBus(options.redisUrl, onError)
    : createPostgresRevocationBus(options.notifications);
}

/**
 * The bus of a process that only announces revocations (the CLI, the dashboard): it owns its
 * PostgreSQL notifications when it needs them, and closes them with itself. Nothing connects
 * before the first publish.
 */
export function createRevocationPublisher(
  options: { redisUrl: string | null | undefined; databaseUrl: string },
  onError?: (error: unknown) => void,
): RevocationBus {
  if (options.redisUrl) return createRedisRevocationBus(options.redisUrl, onError);
  const notifications = createPostgresNotifications(options.databaseUrl, onError);
  const bus = createPostgresRevocationBus(notifications);
  return {
    ...bus,
    async close() {
      await bus.close();
      await notifications.close();
    },
  };
}
