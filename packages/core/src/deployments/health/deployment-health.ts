/**
 * How one attempt at a deployment ended, as the router saw it before the first byte of the
 * answer: a success once the upstream answered 2xx, else the reason it failed.
 */
export type AttemptOutcome =
  | { ok: true; latencyMs: number }
  | {
      ok: false;
      reason: "connect" | "timeout" | "status_5xx" | "status_429" | "broken_answer";
      latencyMs: number;
      retryAfterMs?: number;
    };

export interface DeploymentHealth {
  /** May a request go to this deployment now? Synchronous, from memory. Half-open: true for one probe at a time. */
  tryAcquire(deploymentId: string): boolean;
  /**
   * The outcome of one attempt that tryAcquire allowed (every allowed attempt reports or
   * releases exactly once).
   */
  report(deploymentId: string, outcome: AttemptOutcome): void;
  /**
   * An allowed attempt that ended without evidence either way (the client left, a shutdown cut
   * it, a bug threw before the upstream answered): a half-open probe slot is freed for the
   * next request, and the counts and the state stay as they were.
   */
  release(deploymentId: string): void;
  /**
   * Why the deployment is kept out now, and for how long: a 429's cool-down alone
   * (`isRateLimited`), or an open breaker or a probe out; null when health lets it go (or only
   * a probe may). Read when no deployment of a model could be tried, to tell the client when to
   * come back.
   */
  waitOf(deploymentId: string): DeploymentWait | null;
  snapshot(): DeploymentHealthState[];
  close(): Promise<void>;
}

export interface DeploymentWait {
  waitMs: number;
  isRateLimited: boolean;
}

export interface DeploymentHealthState {
  deploymentId: string;
  state: "closed" | "open" | "half_open";
  coolingUntil: Date | null;
  consecutiveFailures: number;
}
