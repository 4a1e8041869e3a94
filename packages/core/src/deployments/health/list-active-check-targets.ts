import type { Database } from "@dsc/db";
import type { DefaultUpstream } from "../../providers/provider-registry.ts";
import type { ActiveCheckTarget } from "./active-health-checks.ts";

// a check more often than this would be load, not a check
const SHORTEST_INTERVAL_MS = 1_000;
// a check waits at most this long, and never past its own interval
const LONGEST_CHECK_MS = 10_000;

export interface ActiveCheckSettings {
  defaultUpstream: DefaultUpstream | null;
  /** UPSTREAM_API_KEYS: keys by name (a deployment's apiKeyRef) or by origin */
  upstreamKeys: ReadonlyMap<string, string>;
}

/**
 * The enabled deployments, of enabled upstream models, that ask for active health checks, with
 * the address and key their requests use (the same rules as the provider registry's: a named
 * key, else the key of the base URL's origin, never another host's). The built-in model has no
 * upstream to check.
 */
export async function listActiveCheckTargets(
  deps: { db: Database },
  settings: ActiveCheckSettings,
): Promise<ActiveCheckTarget[]> {
  const rows = await deps.db.modelDeployment.findMany({
    where: {
      isEnabled: true,
      healthCheckIntervalMs: { not: null },
      model: { isEnabled: true, provider: "OPENAI_COMPATIBLE" },
    },
    select: {
      id: true,
      upstreamBaseUrl: true,
      apiKeyRef: true,
      healthCheckIntervalMs: true,
      firstByteTimeoutMs: true,
    },
    orderBy: { id: "asc" },
  });
  const targets: ActiveCheckTarget[] = [];
  for (const row of rows) {
    const baseUrl = row.upstreamBaseUrl || settings.defaultUpstream?.baseUrl || null;
    if (baseUrl === null) continue;
    const intervalMs = Math.max(SHORTEST_INTERVAL_MS, row.healthCheckIntervalMs ?? 0);
    targets.push({
      deploymentId: row.id,
      baseUrl,
      apiKey: apiKeyOf(baseUrl, row.apiKeyRef, settings),
      intervalMs,
      timeoutMs: Math.min(intervalMs, row.firstByteTimeoutMs ?? LONGEST_CHECK_MS, LONGEST_CHECK_MS),
    });
  }
  return targets;
}

function apiKeyOf(baseUrl: string, apiKeyRef: string | null, settings: ActiveCheckSettings): string | null {
  if (apiKeyRef) return settings.upstreamKeys.get(apiKeyRef) ?? null;
  const origin = new URL(baseUrl).origin;
  const ownKey = settings.upstreamKeys.get(origin);
  if (ownKey !== undefined) return ownKey;
  const configured = settings.defaultUpstream?.baseUrl;
  return configured !== undefined && new URL(configured).origin === origin
    ? (settings.defaultUpstream?.apiKey ?? null)
    : null;
}
