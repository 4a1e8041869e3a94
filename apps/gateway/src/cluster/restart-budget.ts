/**
 * When the primary replaces a worker that died, and when it gives up: each restart waits a
 * little longer than the one before it within the last minute, so that a worker that dies at
 * once (a database gone, a bad deploy) is not forked in a tight loop; past `maxPerMinute`
 * restarts within a minute the pool is broken rather than unlucky, and the primary exits
 * non-zero for its supervisor (npm start, systemd, Kubernetes) to see.
 */
export interface RestartBudget {
  /** the delay before the next restart, or null to give up; records the restart */
  nextRestart(nowMs: number): number | null;
}

export interface RestartBudgetOptions {
  maxPerMinute: number;
  /** the first restart's delay; doubled for each restart within the minute before it */
  baseDelayMs: number;
  maxDelayMs: number;
}

const MINUTE_MS = 60_000;

export function createRestartBudget(options: RestartBudgetOptions): RestartBudget {
  const restarts: number[] = [];
  return {
    nextRestart(nowMs) {
      while (restarts.length > 0 && (restarts[0] as number) <= nowMs - MINUTE_MS) restarts.shift();
      if (restarts.length >= options.maxPerMinute) return null;
      const delay = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** restarts.length);
      restarts.push(nowMs);
      return delay;
    },
  };
}
