import { randomUUID } from "node:crypto";
import type { PostgresNotifications } from "../notifications/postgres-notifications.ts";

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

/** Listens to the change triggers over the process's notification connection. */
export async function createOrganizationChangeFeed(
  notifications: PostgresNotifications,
): Promise<OrganizationChangeFeed> {
  const listeners: ((change: OrganizationChange) => void)[] = [];
  const pendingSyncs = new Map<string, () => void>();
  const emit = (change: OrganizationChange) => {
    for (const fn of listeners) fn(change);
  };
  await notifications.listen(ORGANIZATION_CHANGES_CHANNEL, {
    onMessage: (payload) => {
      if (payload.startsWith(SYNC_PREFIX)) pendingSyncs.get(payload.slice(SYNC_PREFIX.length))?.();
      else emit(parseOrganizationChange(payload));
    },
    onReconnect: () => emit({ kind: "unknown" }),
  });

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
        await notifications.notify(ORGANIZATION_CHANGES_CHANNEL, SYNC_PREFIX + marker);
        await arrived;
      } finally {
        clearTimeout(timer);
        pendingSyncs.delete(marker);
      }
    },
  };
}
