import type { PostgresNotifications } from "../../notifications/postgres-notifications.ts";
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
