import pg from "pg";

const RECONNECT_DELAY_MS = 1_000;

export interface PostgresListenerOptions {
  databaseUrl: string;
  channel: string;
  onMessage: (payload: string) => void;
  /** called after the connection was lost and is back: messages sent meanwhile are lost */
  onReconnect: () => void;
  onError?: (error: unknown) => void;
}

export interface PostgresListener {
  close(): Promise<void>;
}

/**
 * LISTENs on one channel over a connection of its own, reconnecting after a second when the
 * connection drops. Resolves once the first LISTEN is in place, so nothing published after
 * that is missed.
 */
export async function listenToPostgres(options: PostgresListenerOptions): Promise<PostgresListener> {
  const onError = options.onError ?? (() => {});
  let current: pg.Client | null = null;
  let closed = false;
  let reconnectTimer: NodeJS.Timeout | undefined;

  async function connect(isReconnect: boolean): Promise<void> {
    const client = new pg.Client({ connectionString: options.databaseUrl });
    client.on("notification", (message) => {
      if (message.channel === options.channel) options.onMessage(message.payload ?? "");
    });
    const retry = (error: unknown) => {
      onError(error);
      if (current === client) current = null;
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
    await client.query(`LISTEN ${client.escapeIdentifier(options.channel)}`);
    if (closed) {
      await client.end();
      return;
    }
    current = client;
    if (isReconnect) options.onReconnect();
  }

  await connect(false);
  return {
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      await current?.end().catch(() => {});
      current = null;
    },
  };
}
