import { randomUUID } from "node:crypto";
import pg from "pg";
import { listenToPostgres, type PostgresListener } from "../notifications/postgres-listener.ts";

/**
 * Database triggers (migration `organization_change_notifications`) NOTIFY this channel when
 * an organization, one of its keys' limits, a tier or the model catalogue changes, whoever
 * changed it: the dashboard, the CLI or plain SQL.
 */
export const ORGANIZATION_CHANGES_CHANNEL = "dsc_organization_changed";

export type OrganizationChange =
  | { kind: "organization"; id: string }
  | { kind: "tier"; id: string }
  | { kind: "models" }
  /** messages may have been missed (the connection was lost): forget everything */
  | { kind: "unknown" };

export interface OrganizationChangeFeed {
  subscribe(listener: (change: OrganizationChange) => void): void;
  /**
   * Resolves once every change committed before the call has reached the listeners:
   * PostgreSQL delivers notifications in commit order, so a marker sent now arrives after them.
   */
  sync(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const SYNC_PREFIX = "sync:";

/** Parses a trigger's payload: `organization:<id>`, `tier:<id>` or `models`. */
export function parseOrganizationChange(payload: string): OrganizationChange {
  const colon = payload.indexOf(":");
  const kind = colon === -1 ? payload : payload.slice(0, colon);
  const id = payload.slice(colon + 1);
  if ((kind === "organization" || kind === "tier") && id) return { kind, id };
  if (kind === "models") return { kind };
  return { kind: "unknown" };
}

/** Listens to the change triggers over a PostgreSQL connection of its own. */
export async function createOrganizationChangeFeed(
  databaseUrl: string,
  onError: (error: unknown) => void = () => {},
): Promise<OrganizationChangeFeed> {
  const listeners: ((change: OrganizationChange) => void)[] = [];
  const pendingSyncs = new Map<string, () => void>();
  const emit = (change: OrganizationChange) => {
    for (const fn of listeners) fn(change);
  };
  const listener: PostgresListener = await listenToPostgres({
    databaseUrl,
    channel: ORGANIZATION_CHANGES_CHANNEL,
    onMessage: (payload) => {
      if (payload.startsWith(SYNC_PREFIX)) pendingSyncs.get(payload.slice(SYNC_PREFIX.length))?.();
      else emit(parseOrganizationChange(payload));
    },
    onReconnect: () => emit({ kind: "unknown" }),
    onError,
  });
  const publisher = new pg.Pool({ connectionString: databaseUrl, max: 1, idleTimeoutMillis: 10_000 });
  publisher.on("error", onError);

  return {
    subscribe(fn) {
      listeners.push(fn);
    },
    async sync(timeoutMs = 5_000) {
      const marker = randomUUID();
      let timer: NodeJS.Timeout | undefined;
      const arrived = new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error(`organization changes did not arrive within ${timeoutMs} ms`)),
          timeoutMs,
        );
        pendingSyncs.set(marker, resolve);
      });
      try {
        await publisher.query("SELECT pg_notify($1, $2)", [
          ORGANIZATION_CHANGES_CHANNEL,
          SYNC_PREFIX + marker,
        ]);
        await arrived;
      } finally {
        clearTimeout(timer);
        pendingSyncs.delete(marker);
      }
    },
    async close() {
      await listener.close();
      await publisher.end();
    },
  };
}
