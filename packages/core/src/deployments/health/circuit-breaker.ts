import type { AttemptOutcome } from "./deployment-health.ts";
import { createErrorWindow } from "./error-window.ts";

export interface BreakerSettings {
  /** consecutive failures that open the breaker; default 5 */
  failureThreshold: number;
  /** share of failed attempts in the window that opens it, 0 to 1; 0 turns the rule off; default 0.5 */
  errorRateThreshold: number;
  /** the error rate counts only from this many attempts in the window on; default 20 */
  minimumAttempts: number;
  /** default 30 s */
  windowMs: number;
  /** the first cool-down after opening; default 30 s */
  coolDownMs: number;
  /** each re-opening without a close in between doubles the cool-down, up to this; default 5 min */
  maxCoolDownMs: number;
  /** the longest cool-down a 429's Retry-After may ask for; default 60 s */
  maxRetryAfterMs: number;
  /**
   * a probe that never reports (a bug, a process that died) frees the half-open slot after
   * this; default 2 min, past the upstream's first-byte timeout
   */
  probeTimeoutMs: number;
}

export const DEFAULT_BREAKER_SETTINGS: BreakerSettings = {
  failureThreshold: 5,
  errorRateThreshold: 0.5,
  minimumAttempts: 20,
  windowMs: 30_000,
  coolDownMs: 30_000,
  maxCoolDownMs: 300_000,
  maxRetryAfterMs: 60_000,
  probeTimeoutMs: 120_000,
};

export type BreakerState = "closed" | "open" | "half_open";

/**
 * What gateways tell each other about one deployment: the decisions (state, until when),
 * never the counts behind them, which each gateway keeps for its own traffic.
 * Times are milliseconds since the epoch.
 */
export interface SharedBreakerState {
  state: BreakerState;
  /** open: no attempt before this; then one probe */
  openUntil: number | null;
  /** half-open: a probe is out until this (or until it reports) */
  probeUntil: number | null;
  /** a 429's Retry-After: no attempt before this, whatever the state */
  coolingUntil: number | null;
  /** openings since the last close: the backoff of the next cool-down */
  opens: number;
  /** the deciding gateway's count when it decided, for display */
  consecutiveFailures: number;
}

export type BreakerChangeReason =
  | "consecutive_failures"
  | "error_rate"
  | "probe_failed"
  | "probe_started"
  | "probe_succeeded";

/**
 * What gateways tell each other that merges into any state rather than replacing it: a 429's
 * cool-down, and a probe slot freed without evidence. Sent apart from the decisions, so that a
 * gateway that has not yet heard another's "open" cannot undo it by announcing a cool-down.
 */
export interface BreakerNotice {
  /** no attempt before this (ms since the epoch); null: no cool-down */
  coolingUntil: number | null;
  /** a half-open breaker's probe ended without an outcome: the next request may probe */
  releasesProbe: boolean;
}

/**
 * What a call decided: the state to share (null: nothing new), a notice to merge (null: none),
 * and the state change, if any.
 */
export interface BreakerDecision {
  shared: SharedBreakerState | null;
  notice?: BreakerNotice | null;
  change: { state: BreakerState; reason: BreakerChangeReason } | null;
}

export interface BreakerView {
  state: BreakerState;
  /** when attempts may go again: the end of the open cool-down or of a 429's, whichever is later */
  coolingUntil: number | null;
  consecutiveFailures: number;
}

export interface CircuitBreaker {
  tryAcquire(nowMs: number): { isAllowed: boolean } & BreakerDecision;
  report(outcome: AttemptOutcome, nowMs: number): BreakerDecision;
  /** An allowed attempt that ended without evidence: frees the probe slot if one is out. */
  release(): BreakerDecision;
  /** Takes over what another gateway decided. */
  adopt(shared: SharedBreakerState): void;
  /** Merges another gateway's notice into this state. */
  heed(notice: BreakerNotice): void;
  view(nowMs: number): BreakerView;
  /** how long no attempt may go, and whether only a 429's cool-down says so; null: one may go now */
  wait(nowMs: number): { waitMs: number; isRateLimited: boolean } | null;
}

const NOTHING: BreakerDecision = { shared: null, change: null };

/**
 * One deployment's breaker: closed lets everything through; N consecutive failures, or an
 * error rate over the window, open it for a cool-down that doubles with each re-opening;
 * after the cool-down it is half-open and lets one probe through, whose success closes it and
 * whose failure opens it again. A 429 with Retry-After cools the deployment down for that long
 * without counting as a failure: the upstream is alive and said when to come back. A 429
 * without one counts as a failure, since nothing else would stop the router from insisting.
 */
export function createCircuitBreaker(settings: BreakerSettings): CircuitBreaker {
  const window = createErrorWindow(settings.windowMs);
  let state: BreakerState = "closed";
  let openUntil: number | null = null;
  let probeUntil: number | null = null;
  let coolingUntil: number | null = null;
  let opens = 0;
  let consecutiveFailures = 0;

  const shared = (): SharedBreakerState => ({
    state,
    openUntil,
    probeUntil,
    coolingUntil,
    opens,
    consecutiveFailures,
  });

  function open(nowMs: number, reason: BreakerChangeReason): BreakerDecision {
    opens += 1;
    const coolDown = Math.min(settings.coolDownMs * 2 ** Math.min(opens - 1, 30), settings.maxCoolDownMs);
    state = "open";
    openUntil = nowMs + coolDown;
    probeUntil = null;
    window.clear();
    return { shared: shared(), change: { state: "open", reason } };
  }

  function close(): BreakerDecision {
    state = "closed";
    openUntil = null;
    probeUntil = null;
    opens = 0;
    consecutiveFailures = 0;
    window.clear();
    return { shared: shared(), change: { state: "closed", reason: "probe_succeeded" } };
  }

  function isErrorRateExceeded(nowMs: number): boolean {
    if (settings.errorRateThreshold <= 0) return false;
    const { attempts, failures } = window.totals(nowMs);
    return attempts >= settings.minimumAttempts && failures >= settings.errorRateThreshold * attempts;
  }

  return {
    tryAcquire(nowMs) {
      if (coolingUntil !== null && nowMs < coolingUntil) return { isAllowed: false, ...NOTHING };
      if (state === "closed") return { isAllowed: true, ...NOTHING };
      if (state === "open" && openUntil !== null && nowMs < openUntil)
        return { isAllowed: false, ...NOTHING };
      if (state === "half_open" && probeUntil !== null && nowMs < probeUntil) {
        return { isAllowed: false, ...NOTHING };
      }
      const wasOpen = state === "open";
      state = "half_open";
      probeUntil = nowMs + settings.probeTimeoutMs;
      return {
        isAllowed: true,
        shared: shared(),
        // a probe taken again after a lost one is no change of state
        change: wasOpen ? { state: "half_open", reason: "probe_started" } : null,
      };
    },

    report(outcome, nowMs) {
      if (!outcome.ok && outcome.reason === "status_429" && outcome.retryAfterMs !== undefined) {
        const until = nowMs + Math.min(Math.max(0, outcome.retryAfterMs), settings.maxRetryAfterMs);
        coolingUntil = Math.max(coolingUntil ?? 0, until);
        // a rate-limited probe says nothing of health: the next one goes after the cool-down
        const releasesProbe = state === "half_open";
        if (releasesProbe) probeUntil = null;
        return { shared: null, notice: { coolingUntil, releasesProbe }, change: null };
      }
      if (state === "half_open") {
        if (outcome.ok) return close();
        consecutiveFailures += 1;
        return open(nowMs, "probe_failed");
      }
      // an attempt let through before the breaker opened: the cool-down stands
      if (state === "open") return NOTHING;
      window.add(nowMs, !outcome.ok);
      if (outcome.ok) {
        consecutiveFailures = 0;
        return NOTHING;
      }
      consecutiveFailures += 1;
      if (consecutiveFailures >= settings.failureThreshold) return open(nowMs, "consecutive_failures");
      if (isErrorRateExceeded(nowMs)) return open(nowMs, "error_rate");
      return NOTHING;
    },

    release() {
      // a closed or open breaker holds no slot; the window and the streak hear nothing
      if (state !== "half_open" || probeUntil === null) return NOTHING;
      probeUntil = null;
      return { shared: null, notice: { coolingUntil: null, releasesProbe: true }, change: null };
    },

    heed(notice) {
      if (notice.coolingUntil !== null) coolingUntil = Math.max(coolingUntil ?? 0, notice.coolingUntil);
      if (notice.releasesProbe && state === "half_open") probeUntil = null;
    },

    adopt(decided) {
      // the deciding gateway's counts restart here too, so that an old streak of this
      // gateway's does not re-open a deployment another gateway's probe has just closed
      if (decided.state !== state && decided.state !== "half_open") window.clear();
      state = decided.state;
      openUntil = decided.openUntil;
      probeUntil = decided.probeUntil;
      opens = decided.opens;
      consecutiveFailures = decided.consecutiveFailures;
      // a 429 heard anywhere cools the deployment everywhere, until the latest one's end
      if (decided.coolingUntil !== null) coolingUntil = Math.max(coolingUntil ?? 0, decided.coolingUntil);
    },

    wait(nowMs) {
      const cooling = coolingUntil !== null && coolingUntil > nowMs ? coolingUntil : null;
      const breakerUntil =
        state === "open" && openUntil !== null && openUntil > nowMs
          ? openUntil
          : state === "half_open" && probeUntil !== null && probeUntil > nowMs
            ? probeUntil
            : null;
      if (cooling === null && breakerUntil === null) return null;
      return {
        waitMs: Math.max(cooling ?? 0, breakerUntil ?? 0) - nowMs,
        isRateLimited: breakerUntil === null,
      };
    },

    view(nowMs) {
      const viewState = state === "open" && openUntil !== null && nowMs >= openUntil ? "half_open" : state;
      const until = Math.max(state === "open" && openUntil !== null ? openUntil : 0, coolingUntil ?? 0);
      return {
        state: viewState,
        coolingUntil: until > nowMs ? until : null,
        consecutiveFailures,
      };
    },
  };
}
