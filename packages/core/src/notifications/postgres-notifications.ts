import pg from "pg";

const RECONNECT_DELAY_MS = 1_000;
/** how the listening connection shows in pg_stat_activity */
export const NOTIFICATIONS_APPLICATION_NAME = "dsc-notifications";
/** the name of the connection that sends notifications, so that operators can tell it apart */
export const NOTIFY_APPLICATION_NAME = "dsc-notify";

export interface NotificationHandlers {
  onMessage(payload: string): void;
  /** the connection was lost and is back: messages sent meanwhile are lost */
  onReconnect(): void;
}

/**
 * PostgreSQL LISTEN/NOTIFY for a whole process: every channel it listens to shares one
 * connection, and notifications go out over a pool of one that closes when idle.
 */
export interface PostgresNotifications {
  /** Listens to `channel`; resolves once its LISTEN is in place, so nothing sent after is missed. */
  listen(channel: string, handlers: NotificationHandlers): Promise<void>;
  /** Sends `payload` to every listener of `channel`, also while the listening connection is down. */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * Opens the listening connection at the first `listen` and, when it drops, opens it again
 * after a second, LISTENs to every channel again and tells each channel's handlers.
 */
export function createPostgresNotifications(
  databaseUrl: string,
  onError: (error: unknown) => void = () => {},
): PostgresNotifications {
  /** each channel's handlers, and its first LISTEN (which a later listener of it awaits too) */
  const channels = new Map<string, { handlers: NotificationHandlers[]; listening: Promise<void> }>();
  const publisher = new pg.Pool({
    connectionString: databaseUrl,
    application_name: NOTIFY_APPLICATION_NAME,
    max: 1,
    idleTimeoutMillis: 10_000,
  });
  publisher.on("error", onError);
  /** the connection in use, or being opened */
  let connection: Promise<pg.Client> | null = null;
  let reconnectTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const listenOn = (client: pg.Client, channel: string) =>
    client.query(`LISTEN ${client.escapeIdentifier(channel)}`);

  /** Connects and LISTENs to every channel known; a failure here is the opener's to handle. */
  async function open(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: databaseUrl,
      application_name: NOTIFICATIONS_APPLICATION_NAME,
    });
    let isOpen = false;
    client.on("notification", (message) => {
      for (const handlers of channels.get(message.channel)?.handlers ?? []) {
        handlers.onMessage(message.payload ?? "");
      }
    });
    client.on("error", (error) => (isOpen ? lost(client, error) : onError(error)));
    try {
      await client.connect();
      for (const channel of channels.keys()) await listenOn(client, channel);
    } catch (error) {
      client.end().catch(() => {});
      throw error;
    }
    isOpen = true;
    return client;
  }

  function lost(client: pg.Client, error: unknown) {
    onError(error);
    client.end().catch(() => {});
    if (closed || reconnectTimer) return;
    connection = null;
    reconnectTimer = setTimeout(reconnect, RECONNECT_DELAY_MS);
  }

  function reconnect() {
    reconnectTimer = undefined;
    if (closed) return;
    const reopened = open();
    connection = reopened;
    reopened.then(
      (client) => {
        if (closed) return void client.end().catch(() => {});
        for (const { handlers } of channels.values()) for (const handler of handlers) handler.onReconnect();
      },
      (error: unknown) => {
        onError(error);
        if (connection === reopened) connection = null;
        if (!closed && !reconnectTimer) reconnectTimer = setTimeout(reconnect, RECONNECT_DELAY_MS);
      },
    );
  }

  /** LISTENs to a channel just added: over the connection, opened first if there is none. */
  async function startListening(channel: string): Promise<void> {
    if (reconnectTimer) return; // LISTENed with every other channel when the connection is back
    let current = connection;
    if (!current) {
      const opening = open();
      current = connection = opening;
      opening.catch(() => {
        if (connection === opening) connection = null;
      });
    }
    try {
      const client = await current;
      await listenOn(client, channel); // open() may have LISTENed already: LISTEN is idempotent
    } catch (error) {
      // not listening: the caller sees why, and a later listen to the channel tries again
      channels.delete(channel);
      throw error;
    }
  }

  return {
    async listen(channel, handlers) {
      if (closed) throw new Error("notifications are closed");
      let entry = channels.get(channel);
      if (!entry) {
        entry = { handlers: [], listening: startListening(channel) };
        channels.set(channel, entry);
      }
      entry.handlers.push(handlers);
      await entry.listening;
    },
    async notify(channel, payload) {
      await publisher.query("SELECT pg_notify($1, $2)", [channel, payload]);
    },
    async close() {
      closed = true;
      clearTimeout(reconnectTimer);
      const client = await connection?.catch(() => null);
      await client?.end().catch(() => {});
      connection = null;
      await publisher.end();
    },
  };
}
