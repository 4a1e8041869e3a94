import pg from "pg";
import { listenToPostgres, type PostgresListener } from "../../notifications/postgres-listener.ts";
import { REVOCATION_CHANNEL, type RevocationBus } from "./revocation-bus.ts";

/** Revocations over PostgreSQL LISTEN/NOTIFY: no extra service, one connection per process. */
export function createPostgresRevocationBus(
  databaseUrl: string,
  onError: (error: unknown) => void = () => {},
): RevocationBus {
  const publisher = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 10_000 });
  publisher.on("error", onError);
  const listeners: ((credentialId: string | null) => void)[] = [];
  let listening: Promise<PostgresListener> | null = null;

  const emit = (credentialId: string | null) => {
    for (const fn of listeners) fn(credentialId);
  };

  return {
    async publish(credentialId) {
      await publisher.query("SELECT pg_notify($1, $2)", [REVOCATION_CHANNEL, credentialId]);
    },
    async subscribe(fn) {
      listeners.push(fn);
      listening ??= listenToPostgres({
        databaseUrl,
        channel: REVOCATION_CHANNEL,
        onMessage: (payload) => {
          if (payload) emit(payload);
        },
        onReconnect: () => emit(null),
        onError,
      });
      await listening;
    },
    async close() {
      await (await listening?.catch(() => null))?.close();
      await publisher.end();
    },
  };
}
