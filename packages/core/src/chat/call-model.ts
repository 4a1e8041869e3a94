import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import { alwaysAvailableHealth } from "../deployments/always-available-health.ts";
import {
  createDeploymentRouter,
  type DeploymentRouter,
  failedBeforeAnswer,
  newRoutingBudget,
  type RoutedCall,
} from "../deployments/deployment-router.ts";
import type { DeployedModel } from "../organizations/served-model.ts";
import type { ProviderResolver } from "../providers/provider-resolver.ts";
import { type Clock, systemClock } from "../time/clock.ts";
import type { ObserveUpstream } from "./upstream-observer.ts";

/** A request for a model, and the model that answers when none of its deployments can. */
interface ModelCall {
  model: DeployedModel;
  fallback: DeployedModel | null;
  request: ChatCompletionRequest;
  signal: AbortSignal;
}

export interface CallModelDeps {
  providers: ProviderResolver;
  /** the gateway's router (one per process: its health and load are shared); absent = one per deps, without health */
  router?: DeploymentRouter;
  clock?: Clock;
  /** the gateway's upstream duration and time-to-first-byte metrics, per attempt; absent = not observed */
  observeUpstream?: ObserveUpstream;
}

/** The answer and the model that gave it: the requested one, or its fallback. */
export interface ModelAnswer<T> {
  answer: T;
  servedBy: DeployedModel;
  deploymentId: string;
}

const defaultRouters = new WeakMap<CallModelDeps, DeploymentRouter>();

function routerOf(deps: CallModelDeps): DeploymentRouter {
  if (deps.router) return deps.router;
  let router = defaultRouters.get(deps);
  if (router === undefined) {
    router = createDeploymentRouter({
      providers: deps.providers,
      health: alwaysAvailableHealth,
      clock: deps.clock ?? systemClock,
    });
    defaultRouters.set(deps, router);
  }
  return router;
}

/** One JSON answer; it carries the public id of the model that answered. */
export function completeWithModel(
  deps: CallModelDeps,
  call: ModelCall,
): Promise<ModelAnswer<ChatCompletion>> {
  const router = routerOf(deps);
  return withFallback(deps, call, async (routed) => {
    const { completion, deploymentId } = await router.complete(routed);
    return { answer: completion, servedBy: routed.model, deploymentId };
  });
}

/**
 * A stream; the promise settles when the first chunk is there, so failures before any byte
 * was sent can still become a plain error response (or go to the fallback model).
 */
export function streamFromModel(
  deps: CallModelDeps,
  call: ModelCall,
): Promise<ModelAnswer<AsyncIterable<ChatCompletionChunk>>> {
  const router = routerOf(deps);
  return withFallback(deps, call, async (routed) => {
    const { chunks, deploymentId } = await router.stream(routed);
    return { answer: chunks, servedBy: routed.model, deploymentId };
  });
}

/** The model's answer, else, when nothing of one came, its fallback's (one hop: the fallback's own is never used). */
async function withFallback<T>(
  deps: CallModelDeps,
  call: ModelCall,
  ask: (routed: RoutedCall) => Promise<ModelAnswer<T>>,
): Promise<ModelAnswer<T>> {
  // the fallback spends what is left of the request's attempts and window, not a fresh count
  const budget = newRoutingBudget();
  const routed = (model: DeployedModel): RoutedCall => ({
    model,
    request: call.request,
    signal: call.signal,
    budget,
    ...(deps.observeUpstream && { observe: deps.observeUpstream }),
  });
  try {
    return await ask(routed(call.model));
  } catch (error) {
    if (call.fallback === null || call.signal.aborted || !failedBeforeAnswer(error)) throw error;
    return await ask(routed(call.fallback));
  }
}
