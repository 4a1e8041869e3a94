import { Agent, type Dispatcher, request } from "undici";
import type { AttemptOutcome } from "./deployment-health.ts";

/** A deployment whose upstream is asked `GET <baseUrl>/models` on a timer. */
export interface ActiveCheckTarget {
  deploymentId: string;
  /** up to and including the API version, e.g. `http://host:port/v1` */
  baseUrl: string;
  apiKey: string | null;
  /** from the end of one check to the start of the next */
  intervalMs: number;
  /** the whole check, connection included */
  timeoutMs: number;
}

/** What the checks feed: the same gate and report as requests, so that a check is one attempt. */
export interface CheckedBreakers {
  tryAcquire(deploymentId: string): boolean;
  reportCheck(deploymentId: string, outcome: AttemptOutcome): void;
  /** a check that was let through and cut short by close(): its probe slot goes free */
  release(deploymentId: string): void;
}

export interface ActiveHealthChecks {
  /** Checks exactly these deployments from now on: new ones start, removed ones stop, changed ones restart. */
  set(targets: readonly ActiveCheckTarget[]): void;
  /** Stops every timer, aborts the checks in flight and closes their connections. */
  close(): Promise<void>;
}

// an error body is read this far to keep the connection, never looked at
const DRAINED_BYTES = 16 * 1024;
const TIMEOUT_CODES = new Set([
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "ETIMEDOUT",
]);

interface RunningCheck {
  target: ActiveCheckTarget;
  timer: NodeJS.Timeout | null;
  inFlight: Promise<void> | null;
  isStopped: boolean;
}

/**
 * Active health checks, off unless a deployment asks for them: one timer per deployment and at
 * most one check in flight each (the next is scheduled when the last has ended). A check goes
 * only when the breaker would let a request go — during a cool-down it waits, after one it is
 * the probe — so a check's success closes an open breaker after its cool-down and its failures
 * count like a request's. Any answer below 500 other than 429 counts as alive: `/models` may
 * want another key or not exist on a proxy, and requests' own 4xx never count against health.
 */
export function createActiveHealthChecks(
  breakers: CheckedBreakers,
  options: { dispatcher?: Dispatcher } = {},
): ActiveHealthChecks {
  // checks in flight are bounded by the deployments (one each), so connections need no cap
  const agent = options.dispatcher ?? new Agent();
  const running = new Map<string, RunningCheck>();
  // every check out, those of targets removed meanwhile included, for close() to wait on
  const inFlight = new Set<Promise<void>>();
  const aborts = new AbortController();
  let isClosed = false;

  function schedule(check: RunningCheck, delayMs: number): void {
    if (check.isStopped || isClosed) return;
    check.timer = setTimeout(() => {
      check.timer = null;
      const run = runOnce(check).finally(() => {
        check.inFlight = null;
        inFlight.delete(run);
        schedule(check, check.target.intervalMs);
      });
      check.inFlight = run;
      inFlight.add(run);
    }, delayMs);
    // checks never keep a process alive that has nothing else to do
    check.timer.unref();
  }

  async function runOnce(check: RunningCheck): Promise<void> {
    const { deploymentId } = check.target;
    if (!breakers.tryAcquire(deploymentId)) return;
    const outcome = await checkModels(check.target, agent, aborts.signal);
    // a check cut short by close() says nothing about the upstream, but it may hold the probe
    // slot, which another gateway (or this one's next start) then waits out for minutes
    if (outcome === null || isClosed) breakers.release(deploymentId);
    else breakers.reportCheck(deploymentId, outcome);
  }

  function stop(check: RunningCheck): void {
    check.isStopped = true;
    if (check.timer !== null) clearTimeout(check.timer);
    check.timer = null;
  }

  return {
    set(targets) {
      if (isClosed) return;
      const wanted = new Map(targets.map((target) => [target.deploymentId, target]));
      // a check in flight of a stopped target ends by its own timeout and reports (its probe
      // must not be lost); its successor starts after it, so that one check at most is out
      const stillInFlight = new Map<string, Promise<void>>();
      for (const [deploymentId, check] of running) {
        const target = wanted.get(deploymentId);
        if (target === undefined || !isSameTarget(target, check.target)) {
          stop(check);
          running.delete(deploymentId);
          if (check.inFlight !== null) stillInFlight.set(deploymentId, check.inFlight);
        }
      }
      for (const target of wanted.values()) {
        if (running.has(target.deploymentId)) continue;
        const check: RunningCheck = { target, timer: null, inFlight: null, isStopped: false };
        running.set(target.deploymentId, check);
        const previous = stillInFlight.get(target.deploymentId);
        if (previous === undefined) schedule(check, 0);
        else check.inFlight = previous.finally(() => schedule(check, 0));
      }
    },
    async close() {
      isClosed = true;
      for (const check of running.values()) stop(check);
      running.clear();
      aborts.abort();
      await Promise.allSettled([...inFlight]);
      if (options.dispatcher === undefined) await agent.close();
    },
  };
}

/** One `GET /models`; null when `closing` aborted it. */
async function checkModels(
  target: ActiveCheckTarget,
  dispatcher: Dispatcher,
  closing: AbortSignal,
): Promise<AttemptOutcome | null> {
  const startedAt = performance.now();
  const elapsed = () => Math.round(performance.now() - startedAt);
  // a timer of our own rather than AbortSignal.timeout, so that none is left once the check ends
  const deadline = new AbortController();
  const deadlineTimer = setTimeout(() => deadline.abort(), target.timeoutMs);
  const headers: Record<string, string> = { accept: "application/json" };
  if (target.apiKey !== null) headers.authorization = `Bearer ${target.apiKey}`;
  try {
    // the lookbehind reads a run of trailing slashes once, not once per character of it
    const response = await request(`${target.baseUrl.replace(/(?<!\/)\/+$/, "")}/models`, {
      method: "GET",
      dispatcher,
      headers,
      signal: AbortSignal.any([closing, deadline.signal]),
      headersTimeout: target.timeoutMs,
      bodyTimeout: target.timeoutMs,
      // a connection of its own each time: a check proves the upstream takes connections, and a
      // kept-alive socket the upstream has meanwhile closed would fail a check of a healthy one
      reset: true,
    });
    await response.body.dump({ limit: DRAINED_BYTES }).catch(() => {});
    return outcomeOfStatus(response.statusCode, response.headers["retry-after"], elapsed());
  } catch (error) {
    if (closing.aborted) return null;
    const isTimeout = deadline.signal.aborted || TIMEOUT_CODES.has(codeOf(error));
    return { ok: false, reason: isTimeout ? "timeout" : "connect", latencyMs: elapsed() };
  } finally {
    clearTimeout(deadlineTimer);
  }
}

function outcomeOfStatus(
  status: number,
  retryAfter: string | string[] | undefined,
  latencyMs: number,
): AttemptOutcome {
  if (status === 429) {
    const retryAfterMs = retryAfterMsOf(retryAfter);
    return retryAfterMs === null
      ? { ok: false, reason: "status_429", latencyMs }
      : { ok: false, reason: "status_429", latencyMs, retryAfterMs };
  }
  if (status >= 500) return { ok: false, reason: "status_5xx", latencyMs };
  return { ok: true, latencyMs };
}

/** Retry-After in seconds; the HTTP-date form is rare from APIs and is ignored. */
function retryAfterMsOf(header: string | string[] | undefined): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return null;
  return Math.round(Number(value) * 1_000);
}

function codeOf(error: unknown): string {
  return typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : "";
}

function isSameTarget(a: ActiveCheckTarget, b: ActiveCheckTarget): boolean {
  return (
    a.baseUrl === b.baseUrl &&
    a.apiKey === b.apiKey &&
    a.intervalMs === b.intervalMs &&
    a.timeoutMs === b.timeoutMs
  );
}
