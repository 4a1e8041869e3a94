import pg from "pg";
import { REVOCATION_CHANNEL, type RevocationBus } from "./revocation-bus.ts";

const RECONNECT_DELAY_MS = 1_000;

/** Revocations over PostgreSQL LISTEN/NOTIFY: no extra service, one connection per process. */
export function createPostgresRevocationBus(
  databaseUrl: string,
  onError: (error: unknown) => void = () => {},
): RevocationBus {
  const publisher = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 10_000 });
  publisher.on("error", onError);
  const listeners: ((credentialId: string | null) => void)[] = [];
  let listener: pg.Client | null = null;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  const emit = (credentialId: string | null) => {
    for (const fn of listeners) fn(credentialId);
  };

  async function connect(isReconnect: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: databaseUrl });
    client.on("notification", (message) => {
      if (message.channel === REVOCATION_CHANNEL && message.payload) emit(message.payload);
    });
    const retry = (error: unknown) => {
      onError(error);
      if (listener === client) listener = null;
      client.end().catch(() => {});
      if (!closed && !reconnectTimer) {
        reconnectTimer = setTimeout(() => {
          reconnectTimer = undefined;
          connect(true).catch(retry);
        }, RECONNECT_DELAY_MS);
      }
    };
    client.on("error", retry);
    await client.connect();
    await client.query(`LISTEN ${REVOCATION_CHANNEL}`);
    listener = client;
    if (isReconnect) emit(null);
  }

  return {
    async publish(credentialId) {
      await publisher.query("SELECT pg_notify($1, $2)", [REVOCATION_CHANNEL, credentialId]);
    },
    async subscribe(fn) {
      listeners.push(fn);
      if (!listener) await connect(false);
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      await listener?.end().catch(() => {});
      await publisher.end();
    },
  };
}
