import type { Database } from "@dsc/db";
import type { OrganizationChangeFeed } from "../../organizations/organization-changes.ts";
import type { ActiveCheckTarget } from "./active-health-checks.ts";
import { type ActiveCheckSettings, listActiveCheckTargets } from "./list-active-check-targets.ts";

export interface ActiveCheckFollower {
  /** settles when the list is as the database had it at the last change heard (tests) */
  settled(): Promise<void>;
}

/**
 * Keeps the active checks as the deployment rows say: read at start and again whenever the
 * model catalogue changes (or notifications may have been missed). One read at a time; changes
 * heard during a read cause one more read after it, not one each.
 */
export async function followActiveCheckTargets(
  deps: { db: Database; changes: OrganizationChangeFeed },
  health: { setActiveChecks(targets: readonly ActiveCheckTarget[]): void },
  settings: ActiveCheckSettings & { onError: (error: unknown) => void },
): Promise<ActiveCheckFollower> {
  let reading: Promise<void> | null = null;
  let isStale = false;

  async function readUntilFresh(): Promise<void> {
    // bounded: each round starts only if a change arrived during the last one
    for (let round = 0; round < 100 && isStale; round++) {
      isStale = false;
      try {
        health.setActiveChecks(await listActiveCheckTargets(deps, settings));
      } catch (error) {
        settings.onError(error);
      }
    }
  }

  function refresh(): Promise<void> {
    isStale = true;
    if (reading === null) {
      reading = readUntilFresh().finally(() => {
        reading = null;
      });
    }
    return reading;
  }

  deps.changes.subscribe((change) => {
    if (change.kind === "models" || change.kind === "unknown") void refresh();
  });
  await refresh();
  return { settled: () => reading ?? Promise.resolve() };
}
