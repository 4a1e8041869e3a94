import type { PostgresNotifications } from "../../notifications/postgres-notifications.ts";
import { REVOCATION_CHANNEL, type RevocationBus } from "./revocation-bus.ts";

/**
 * Revocations over PostgreSQL LISTEN/NOTIFY: no extra service, and no connection of its own
 * (the process's notifications carry it; whoever created them closes them).
 */
export function createPostgresRevocationBus(notifications: PostgresNotifications): RevocationBus {
  const listeners: ((credentialId: string | null) => void)[] = [];
  let listening: Promise<void> | null = null;

  const emit = (credentialId: string | null) => {
    for (const fn of listeners) fn(credentialId);
  };

  return {
    async publish(credentialId) {
      await notifications.notify(REVOCATION_CHANNEL, credentialId);
    },
    async subscribe(fn) {
      listeners.push(fn);
      listening ??= notifications.listen(REVOCATION_CHANNEL, {
        onMessage: (payload) => {
          if (payload) emit(payload);
        },
        onReconnect: () => emit(null),
      });
      await listening;
    },
    async close() {},
  };
}
