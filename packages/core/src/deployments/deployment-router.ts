import { setTimeout as sleep } from "node:timers/promises";
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import type { DeployedModel } from "../organizations/served-model.ts";
import { isProviderError, ProviderError } from "../providers/chat-provider.ts";
import type { ProviderResolver } from "../providers/provider-resolver.ts";
import { isUpstreamRefusal } from "../providers/upstream-failure.ts";
import type { Clock } from "../time/clock.ts";
import { createDeploymentLoad, type DeploymentLoad } from "./deployment-load.ts";
import type { AttemptOutcome, DeploymentHealth, DeploymentWait } from "./health/deployment-health.ts";
import { compileModelRoutes, type ModelRoutes, type RoutedDeployment } from "./model-routes.ts";

// the longest Retry-After a client is told: a cool-down or breaker may last longer, and is re-read then
const MAX_CLIENT_RETRY_AFTER_MS = 60_000;

/**
 * No deployment of the model could be tried: every one is cooling down, open or over its
 * limits. When health kept every one out, `retryAfterMs` says when the first may go again
 * (at most a minute), and the kind is `rate_limited` when only upstream 429s did.
 */
export class NoDeploymentAvailableError extends ProviderError {
  readonly retryAfterMs: number | null;

  constructor(modelId: string, wait: DeploymentWait | null = null) {
    super(
      wait?.isRateLimited ? "rate_limited" : "unavailable",
      wait?.isRateLimited
        ? `every deployment of the model ${modelId} is rate limited by its upstream; retry later`
        : `no deployment of the model ${modelId} is available`,
    );
    this.retryAfterMs = wait === null ? null : Math.min(Math.max(0, wait.waitMs), MAX_CLIENT_RETRY_AFTER_MS);
  }
}

/**
 * Whether a routed call failed without any of an answer: nothing was sent to the client, so a
 * fallback model may still answer.
 */
export function failedBeforeAnswer(error: unknown): boolean {
  return isProviderError(error) && (error.failover !== null || error instanceof NoDeploymentAvailableError);
}

/** One attempt at one deployment, as metrics and traces see it. */
export interface RoutedAttempt {
  modelId: string;
  deploymentId: string;
  /** null: released without evidence (the client left, a shutdown cut it, a bug threw) */
  outcome: AttemptOutcome | null;
}

export interface DeploymentRouterOptions {
  providers: ProviderResolver;
  health: DeploymentHealth;
  /** the minutes of the per-minute limits */
  clock: Clock;
  /** in [0, 1); tests pass a seeded one so that weighted choices are reproducible */
  random?: () => number;
  /** attempts per request over all deployments (and its fallback's), the first included; default 3 */
  maxAttempts?: number;
  /**
   * no new attempt starts this long after the first began, and each attempt waits for its
   * first byte at most what is left of it; default 120 s, twice the providers' default
   * first-byte timeout, so that a deployment that never answers leaves time for another
   */
  failoverWindowMs?: number;
  /** the same deployment is asked again (when no other is left) after full-jitter backoff up to base × 2^(n−1); default 200 ms */
  baseRetryDelayMs?: number;
  /** cap on that wait, Retry-After included; default 2 s */
  maxRetryDelayMs?: number;
  /** told of every attempt once its outcome is known (metrics, traces) */
  onAttempt?: (attempt: RoutedAttempt) => void;
}

/** How one attempt ended, as the gateway's upstream metrics count it (core/chat's `UpstreamOutcome`). */
export type UpstreamOutcome = "success" | "refused" | "error" | "timeout" | "aborted";

/** One attempt at one deployment, once it has ended (core/chat's `UpstreamObservation`). */
export interface AttemptObservation {
  /** the public id of the model the attempt served */
  model: string;
  deployment: string;
  durationSeconds: number;
  /** until the first chunk of a stream; null for a JSON answer, or an attempt that failed */
  ttfbSeconds: number | null;
  outcome: UpstreamOutcome;
}

/**
 * What one request has spent on attempts, shared by the model asked for and its fallback, so
 * that a fallback does not start a fresh count and window of its own.
 */
export interface RoutingBudget {
  /** performance.now() when the request's first attempt began; null before it */
  startedAt: number | null;
  attempts: number;
}

export function newRoutingBudget(): RoutingBudget {
  return { startedAt: null, attempts: 0 };
}

/** One request for one model. */
export interface RoutedCall {
  model: DeployedModel;
  /** `model` is replaced by each deployment's upstream name */
  request: ChatCompletionRequest;
  /** aborted when the client goes away: the attempt in flight stops, no other begins */
  signal: AbortSignal;
  /** told of every attempt once it has ended (the gateway's upstream metrics) */
  observe?: (observation: AttemptObservation) => void;
  /** what the request spent before this call (a fallback's: the model's attempts); absent = nothing */
  budget?: RoutingBudget;
}

export interface RoutedCompletion {
  completion: ChatCompletion;
  deploymentId: string;
}

export interface RoutedStream {
  chunks: AsyncIterable<ChatCompletionChunk>;
  deploymentId: string;
}

/**
 * Sends a model's requests to its deployments (docs/architecture.md, "Routing"): within the
 * preferred priority group that has one available (health allows it, under its per-minute
 * limits), by weight or fewest requests in flight; a failure before the first byte of the
 * answer (connection, timeout, 5xx, 429) moves the request to another deployment, within
 * `maxAttempts` and `failoverWindowMs` (a fallback's attempts included). Once an answer has
 * begun nothing is retried.
 */
export interface DeploymentRouter {
  /** the answer carries the model's public id */
  complete(call: RoutedCall): Promise<RoutedCompletion>;
  /** settles once the first chunk is there; chunks carry the model's public id */
  stream(call: RoutedCall): Promise<RoutedStream>;
  /** the model's routes, computed once per model object (a new snapshot, new routes) */
  routesOf(model: DeployedModel): ModelRoutes;
}

export function createDeploymentRouter(options: DeploymentRouterOptions): DeploymentRouter {
  const { health, clock } = options;
  const random = options.random ?? Math.random;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 3);
  const failoverWindowMs = options.failoverWindowMs ?? 120_000;
  const baseRetryDelayMs = options.baseRetryDelayMs ?? 200;
  const maxRetryDelayMs = options.maxRetryDelayMs ?? 2_000;
  const load: DeploymentLoad = createDeploymentLoad(clock);
  const compiled = new WeakMap<DeployedModel, ModelRoutes>();

  function routesOf(model: DeployedModel): ModelRoutes {
    let routes = compiled.get(model);
    if (routes === undefined) {
      routes = compileModelRoutes(options.providers, model);
      compiled.set(model, routes);
    }
    return routes;
  }

  const isOpen = (deployment: RoutedDeployment, tried: ReadonlySet<string> | null) =>
    (tried === null || !tried.has(deployment.id)) &&
    (!deployment.hasLimits || load.isUnderLimits(deployment.id, deployment));

  /** The deployment for the next attempt, acquired from health; null when none may be tried. */
  function choose(routes: ModelRoutes, tried: ReadonlySet<string> | null): RoutedDeployment | null {
    for (const group of routes.groups) {
      if (group.length === 1) {
        const only = group[0] as RoutedDeployment;
        if (isOpen(only, tried) && health.tryAcquire(only.id)) return only;
        continue;
      }
      const candidates = group.filter((deployment) => isOpen(deployment, tried));
      // each refusal by health removes one candidate: at most one pass per deployment
      while (candidates.length > 0) {
        const index =
          routes.strategy === "LEAST_IN_FLIGHT" ? leastInFlightIndex(candidates) : weightedIndex(candidates);
        const chosen = candidates[index] as RoutedDeployment;
        if (health.tryAcquire(chosen.id)) return chosen;
        candidates.splice(index, 1);
      }
    }
    return null;
  }

  function weightedIndex(candidates: readonly RoutedDeployment[]): number {
    let total = 0;
    for (const deployment of candidates) total += deployment.weight;
    // weight 0 everywhere: the group is a standby, any of it will do
    if (total === 0) return Math.floor(random() * candidates.length);
    let point = random() * total;
    for (let index = 0; index < candidates.length; index++) {
      point -= (candidates[index] as RoutedDeployment).weight;
      if (point < 0) return index;
    }
    return candidates.length - 1;
  }

  function leastInFlightIndex(candidates: readonly RoutedDeployment[]): number {
    let best = 0;
    let bestCount = Number.POSITIVE_INFINITY;
    for (let index = 0; index < candidates.length; index++) {
      const count = load.inFlight((candidates[index] as RoutedDeployment).id);
      if (count < bestCount) {
        best = index;
        bestCount = count;
      }
    }
    return best;
  }

  function report(routes: ModelRoutes, deploymentId: string, outcome: AttemptOutcome) {
    health.report(deploymentId, outcome);
    options.onAttempt?.({ modelId: routes.modelId, deploymentId, outcome });
  }

  function release(routes: ModelRoutes, deploymentId: string) {
    health.release(deploymentId);
    options.onAttempt?.({ modelId: routes.modelId, deploymentId, outcome: null });
  }

  /**
   * Runs `attempt` on deployments until one answers, an error says another cannot help, or the
   * attempts or the window run out. `attempt` settles when the first byte is there.
   */
  async function route<T>(
    call: RoutedCall,
    attempt: (deployment: RoutedDeployment, firstByteTimeoutMs: number | undefined) => Promise<T>,
  ): Promise<{ value: T; deployment: RoutedDeployment; startedAt: number }> {
    const { model, signal } = call;
    const routes = routesOf(model);
    const budget = call.budget ?? newRoutingBudget();
    // a fallback has one attempt of its own whatever the model spent, then only what is left
    const isFallback = budget.attempts > 0;
    // a monotonic reading, no Date allocated per request
    budget.startedAt ??= performance.now();
    const startedAt = budget.startedAt;
    // allocated only once an attempt failed: the usual request never needs it
    let tried: Set<string> | null = null;
    let lastError: ProviderError | null = null;
    let lastDeployment: RoutedDeployment | null = null;
    for (let attemptNumber = 1; ; attemptNumber++) {
      if (
        attemptNumber > 1 &&
        (budget.attempts >= maxAttempts || performance.now() - startedAt >= failoverWindowMs)
      )
        break;
      // a request whose client has left takes no probe slot nor any of a deployment's limits
      if (signal.aborted) throw signal.reason;
      let deployment = choose(routes, tried);
      if (deployment === null && lastDeployment !== null && lastError?.failover?.isRetryableInPlace) {
        // no other deployment is left: ask the same one again, after a pause, if its limits allow
        deployment =
          isOpen(lastDeployment, null) && health.tryAcquire(lastDeployment.id) ? lastDeployment : null;
        if (deployment !== null) {
          const retryAfterMs = lastError.failover.retryAfterMs;
          const backoff = random() * Math.min(maxRetryDelayMs, baseRetryDelayMs * 2 ** (attemptNumber - 2));
          try {
            await sleep(Math.min(retryAfterMs ?? backoff, maxRetryDelayMs), undefined, { signal });
          } catch {
            // the client left during the pause: nothing was asked, nothing learned
            release(routes, deployment.id);
            throw signal.reason;
          }
        }
      }
      if (deployment === null) break;
      load.countRequest(deployment.id);
      budget.attempts += 1;
      const attemptStartedAt = performance.now();
      // each attempt waits for its first byte only as long as the window still runs, so that a
      // silent deployment leaves the rest of it to another
      const firstByteTimeoutMs =
        isFallback && attemptNumber === 1
          ? undefined
          : Math.max(1, failoverWindowMs - (attemptStartedAt - startedAt));
      try {
        const value = await attempt(deployment, firstByteTimeoutMs);
        report(routes, deployment.id, { ok: true, latencyMs: performance.now() - attemptStartedAt });
        return { value, deployment, startedAt: attemptStartedAt };
      } catch (error) {
        const latencyMs = performance.now() - attemptStartedAt;
        const outcome = signal.aborted ? null : outcomeOf(error, latencyMs);
        if (outcome === null) release(routes, deployment.id);
        else report(routes, deployment.id, outcome);
        call.observe?.(
          observation(model, deployment, attemptStartedAt, null, upstreamOutcomeOf(error, signal)),
        );
        // the client left, the upstream answered and refused, or its answer broke off: final
        if (signal.aborted || !isProviderError(error) || error.failover === null) throw error;
        lastError = error;
        lastDeployment = deployment;
        tried ??= new Set();
        tried.add(deployment.id);
      }
    }
    // nothing left to try: when health keeps every deployment out, the client learns until when
    // (a 429 that cooled the last one is the upstream's rate limit, not an outage)
    if (lastError === null || lastError.failover?.reason === "status_429") {
      const wait = waitForAll(routes);
      if (wait !== null || lastError === null) throw new NoDeploymentAvailableError(model.id, wait);
    }
    throw lastError;
  }

  /** The shortest wait until health lets one of the model's deployments go; null when one is kept out by something else. */
  function waitForAll(routes: ModelRoutes): DeploymentWait | null {
    if (routes.all.length === 0) return null;
    let waitMs = Number.POSITIVE_INFINITY;
    let isRateLimited = true;
    for (const deployment of routes.all) {
      const wait = health.waitOf(deployment.id);
      if (wait === null) return null;
      waitMs = Math.min(waitMs, wait.waitMs);
      if (!wait.isRateLimited) isRateLimited = false;
    }
    return { waitMs, isRateLimited };
  }

  return {
    routesOf,

    async complete(call) {
      const { model, request, signal } = call;
      const tracksInFlight = routesOf(model).strategy === "LEAST_IN_FLIGHT";
      const { value, deployment, startedAt } = await route(call, (deployment, firstByteTimeoutMs) => {
        if (tracksInFlight) load.began(deployment.id);
        const answer = deployment.provider.complete({
          request: { ...request, model: deployment.upstreamModel },
          signal,
          firstByteTimeoutMs,
        });
        return tracksInFlight ? answer.finally(() => load.ended(deployment.id)) : answer;
      });
      if (deployment.tokensPerMinute !== null && value.usage)
        load.countTokens(deployment.id, value.usage.total_tokens);
      call.observe?.(observation(model, deployment, startedAt, null, "success"));
      return { completion: { ...value, model: model.id }, deploymentId: deployment.id };
    },

    async stream(call) {
      const { model, request, signal } = call;
      const tracksInFlight = routesOf(model).strategy === "LEAST_IN_FLIGHT";
      const clientAsksUsage = request.stream_options?.include_usage === true;
      const { value, deployment, startedAt } = await route(call, async (deployment, firstByteTimeoutMs) => {
        if (tracksInFlight) load.began(deployment.id);
        try {
          return await deployment.provider.stream({
            request: {
              ...request,
              model: deployment.upstreamModel,
              // a tokens-per-minute limit counts the usage the upstream reports at the end, which
              // it sends only when asked; the client who did not ask never sees it
              ...(deployment.tokensPerMinute !== null &&
                !clientAsksUsage && { stream_options: { ...request.stream_options, include_usage: true } }),
            },
            signal,
            firstByteTimeoutMs,
          });
        } catch (error) {
          if (tracksInFlight) load.ended(deployment.id);
          throw error;
        }
      });
      const ttfbSeconds = (performance.now() - startedAt) / 1e3;
      const observe = call.observe;
      return {
        chunks: relay(value, {
          model,
          deployment,
          load,
          tracksInFlight,
          hidesUsage: deployment.tokensPerMinute !== null && !clientAsksUsage,
          signal,
          ended:
            observe &&
            ((outcome) => observe(observation(model, deployment, startedAt, ttfbSeconds, outcome))),
        }),
        deploymentId: deployment.id,
      };
    },
  };
}

function observation(
  model: DeployedModel,
  deployment: RoutedDeployment,
  startedAt: number,
  ttfbSeconds: number | null,
  outcome: UpstreamOutcome,
): AttemptObservation {
  return {
    model: model.id,
    deployment: deployment.id,
    durationSeconds: (performance.now() - startedAt) / 1e3,
    ttfbSeconds,
    outcome,
  };
}

/** The label of an attempt that threw: the client's abort, the upstream's 4xx refusal, a timeout, or an error. */
function upstreamOutcomeOf(error: unknown, signal: AbortSignal): UpstreamOutcome {
  if (signal.aborted) return "aborted";
  if (isUpstreamRefusal(error)) return "refused";
  return isProviderError(error) && error.kind === "timeout" ? "timeout" : "error";
}

/** What an attempt that threw tells of the deployment; null: nothing (not the upstream's failure). */
function outcomeOf(error: unknown, latencyMs: number): AttemptOutcome | null {
  if (!isProviderError(error)) return null;
  const cause = error.failover;
  if (cause !== null)
    return {
      ok: false,
      reason: cause.reason,
      latencyMs,
      ...(cause.retryAfterMs !== null && { retryAfterMs: cause.retryAfterMs }),
    };
  // the upstream answered: a refusal of this request (4xx) or a broken answer says nothing of
  // whether the next one will be served, but a total timeout does
  return error.kind === "timeout" ? { ok: false, reason: "timeout", latencyMs } : { ok: true, latencyMs };
}

interface Relay {
  model: DeployedModel;
  deployment: RoutedDeployment;
  load: DeploymentLoad;
  tracksInFlight: boolean;
  /** the usage was asked for the limit's sake, not the client's: its chunk and fields stay here */
  hidesUsage: boolean;
  signal: AbortSignal;
  /** hears once how the stream ended */
  ended: ((outcome: UpstreamOutcome) => void) | undefined;
}

/** The chunks with the public model id, counting the tokens the upstream reports and the end of the call. */
async function* relay(
  chunks: AsyncIterable<ChatCompletionChunk>,
  relay: Relay,
): AsyncIterable<ChatCompletionChunk> {
  const { deployment, load } = relay;
  const modelId = relay.model.id;
  const countsTokens = deployment.tokensPerMinute !== null;
  // a reader that stops early (the client left, a shutdown cut it) leaves it "aborted"
  let outcome: UpstreamOutcome = "aborted";
  try {
    for await (const chunk of chunks) {
      if (countsTokens && chunk.usage) load.countTokens(deployment.id, chunk.usage.total_tokens);
      if (relay.hidesUsage && "usage" in chunk) {
        // the usage-only chunk at the end, or the field (null on the others) the client never asked for
        if (chunk.usage && chunk.choices.length === 0) continue;
        const { usage: _usage, ...rest } = chunk;
        yield { ...rest, model: modelId };
        continue;
      }
      yield { ...chunk, model: modelId };
    }
    outcome = "success";
  } catch (error) {
    outcome = upstreamOutcomeOf(error, relay.signal);
    throw error;
  } finally {
    if (relay.tracksInFlight) load.ended(deployment.id);
    relay.ended?.(outcome);
  }
}
