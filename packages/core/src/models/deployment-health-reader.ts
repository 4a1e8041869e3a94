import { DeploymentHealthReportSchema } from "@dsc/api-client";
import { boundedText, discard, jsonOrNull } from "../http/bounded-response.ts";
import { cachedReading } from "../http/cached-reading.ts";
import type { Clock } from "../time/clock.ts";

/** One deployment's circuit breaker as the gateway that answered keeps it. */
export interface DeploymentHealthView {
  deploymentId: string;
  state: "closed" | "open" | "half_open";
  coolingUntil: Date | null;
  consecutiveFailures: number;
}

/**
 * The gateway's breakers, or why they are not known: no metrics token here, the gateway has no
 * such route (no METRICS_TOKEN there, or a version before it), it refused the token, it keeps
 * no breakers, or it did not answer in time.
 */
export type DeploymentHealthReading =
  | { isKnown: true; checkedAt: Date; deployments: DeploymentHealthView[] }
  | {
      isKnown: false;
      checkedAt: Date;
      problem: "no_token" | "not_enabled" | "refused" | "not_kept" | "unavailable";
    };

export interface DeploymentHealthReader {
  read(): Promise<DeploymentHealthReading>;
}

const DEFAULT_TIMEOUT_MS = 2_000;
const DEFAULT_CACHE_MS = 2_000;
// a breaker's entry is about a hundred bytes; thousands of deployments fit well within this
const MAX_BYTES = 1024 * 1024;

/**
 * Reads one gateway's deployment breakers for the dashboard's models page, from
 * `GET /internal/deployments/health` with the gateway's METRICS_TOKEN. With several gateways
 * behind a balancer this is the one GATEWAY_URL reaches (breakers shared through Redis agree).
 * Answers are kept for two seconds and concurrent readers share one request.
 */
export function createDeploymentHealthReader(
  deps: { clock: Clock },
  options: { baseUrl: string; metricsToken: string | null; timeoutMs?: number; cacheMs?: number },
): DeploymentHealthReader {
  // the lookbehind starts the match only at the run's first slash, so it cannot backtrack
  const url = `${options.baseUrl.replace(/(?<!\/)\/+$/, "")}/internal/deployments/health`;
  const cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;

  async function fetchReading(): Promise<DeploymentHealthReading> {
    const checkedAt = deps.clock.now();
    const problem = (problem: Extract<DeploymentHealthReading, { isKnown: false }>["problem"]) =>
      ({ isKnown: false, checkedAt, problem }) as const;
    if (!options.metricsToken) return problem("no_token");
    try {
      const response = await fetch(url, {
        signal: AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        headers: { authorization: `Bearer ${options.metricsToken}`, accept: "application/json" },
      });
      if (response.status === 404) return discard(response, problem("not_enabled"));
      if (response.status === 401 || response.status === 403) return discard(response, problem("refused"));
      if (!response.ok) return discard(response, problem("unavailable"));
      const text = await boundedText(response, MAX_BYTES);
      const parsed = text === null ? null : DeploymentHealthReportSchema.safeParse(jsonOrNull(text));
      if (!parsed?.success) return problem("unavailable");
      if (!parsed.data.available) return problem("not_kept");
      return {
        isKnown: true,
        checkedAt,
        deployments: parsed.data.deployments.map((breaker) => ({
          deploymentId: breaker.deployment_id,
          state: breaker.state,
          coolingUntil: breaker.cooling_until === null ? null : new Date(breaker.cooling_until),
          consecutiveFailures: breaker.consecutive_failures,
        })),
      };
    } catch {
      return problem("unavailable");
    }
  }

  return { read: cachedReading(() => deps.clock.now(), cacheMs, fetchReading) };
}
