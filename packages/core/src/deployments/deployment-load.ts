import type { Clock } from "../time/clock.ts";

const MINUTE_MS = 60_000;

interface Load {
  /** the minute (ms since the epoch / 60,000) the counts below belong to */
  minute: number;
  requests: number;
  tokens: number;
  inFlight: number;
}

/**
 * What this gateway has sent each deployment: requests and tokens in the current clock minute,
 * for its per-minute limits, and requests in flight, for least-in-flight routing. Per
 * instance, in memory: N gateways may together send a deployment up to N times its limits.
 */
export interface DeploymentLoad {
  /** whether the deployment is under both its per-minute limits now */
  isUnderLimits(
    deploymentId: string,
    limits: { requestsPerMinute: number | null; tokensPerMinute: number | null },
  ): boolean;
  /** counts a request sent to it (its tokens are added when known) */
  countRequest(deploymentId: string): void;
  countTokens(deploymentId: string, tokens: number): void;
  inFlight(deploymentId: string): number;
  began(deploymentId: string): void;
  ended(deploymentId: string): void;
}

export function createDeploymentLoad(clock: Clock): DeploymentLoad {
  const loads = new Map<string, Load>();

  const loadOf = (deploymentId: string): Load => {
    const minute = Math.floor(clock.now().getTime() / MINUTE_MS);
    let load = loads.get(deploymentId);
    if (load === undefined) {
      load = { minute, requests: 0, tokens: 0, inFlight: 0 };
      loads.set(deploymentId, load);
    } else if (load.minute !== minute) {
      load.minute = minute;
      load.requests = 0;
      load.tokens = 0;
    }
    return load;
  };

  return {
    isUnderLimits(deploymentId, limits) {
      if (limits.requestsPerMinute === null && limits.tokensPerMinute === null) return true;
      const load = loadOf(deploymentId);
      if (limits.requestsPerMinute !== null && load.requests >= limits.requestsPerMinute) return false;
      return limits.tokensPerMinute === null || load.tokens < limits.tokensPerMinute;
    },
    countRequest(deploymentId) {
      loadOf(deploymentId).requests += 1;
    },
    countTokens(deploymentId, tokens) {
      loadOf(deploymentId).tokens += tokens;
    },
    inFlight(deploymentId) {
      return loads.get(deploymentId)?.inFlight ?? 0;
    },
    began(deploymentId) {
      loadOf(deploymentId).inFlight += 1;
    },
    ended(deploymentId) {
      const load = loads.get(deploymentId);
      if (load && load.inFlight > 0) load.inFlight -= 1;
    },
  };
}
