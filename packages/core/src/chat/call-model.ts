import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import type { Model } from "@dsc/db";
import type { ProviderResolver } from "../providers/provider-resolver.ts";
import {
  type ObserveUpstream,
  type UpstreamObservation,
  type UpstreamOutcome,
  upstreamOutcomeOf,
} from "./upstream-observer.ts";

interface ModelCall {
  model: Model;
  request: ChatCompletionRequest;
  signal: AbortSignal;
}

interface CallModelDeps {
  providers: ProviderResolver;
  /** the gateway's upstream duration and time-to-first-byte metrics; absent = not observed */
  observeUpstream?: ObserveUpstream;
}

// one upstream per model until deployments exist: the label is there so dashboards need no change then
const DEFAULT_DEPLOYMENT = "default";

/** One answer of the model's provider, which gets the upstream model name; answers carry the public id. */
export async function completeWithModel(deps: CallModelDeps, call: ModelCall): Promise<ChatCompletion> {
  const { provider, upstreamModel } = deps.providers.resolve(call.model);
  const startedAt = performance.now();
  const observe = (outcome: UpstreamOutcome) =>
    deps.observeUpstream?.(observationOf(call, startedAt, null, outcome));
  let completion: ChatCompletion;
  try {
    completion = await provider.complete({
      request: { ...call.request, model: upstreamModel },
      signal: call.signal,
    });
  } catch (error) {
    observe(upstreamOutcomeOf(error, call.signal));
    throw error;
  }
  observe("success");
  return { ...completion, model: call.model.id };
}

/**
 * A stream of the model's provider. The promise settles when the first chunk is there, so
 * failures before any byte was sent can still become a plain error response.
 */
export async function streamFromModel(
  deps: CallModelDeps,
  call: ModelCall,
): Promise<AsyncIterable<ChatCompletionChunk>> {
  const { provider, upstreamModel } = deps.providers.resolve(call.model);
  const startedAt = performance.now();
  let chunks: AsyncIterable<ChatCompletionChunk>;
  try {
    chunks = await provider.stream({
      request: { ...call.request, model: upstreamModel },
      signal: call.signal,
    });
  } catch (error) {
    deps.observeUpstream?.(observationOf(call, startedAt, null, upstreamOutcomeOf(error, call.signal)));
    throw error;
  }
  const ttfbSeconds = (performance.now() - startedAt) / 1e3;
  const observe = deps.observeUpstream;
  return withPublicModel(chunks, call, (outcome) =>
    observe?.(observationOf(call, startedAt, ttfbSeconds, outcome)),
  );
}

function observationOf(
  call: ModelCall,
  startedAt: number,
  ttfbSeconds: number | null,
  outcome: UpstreamOutcome,
): UpstreamObservation {
  return {
    model: call.model.id,
    deployment: DEFAULT_DEPLOYMENT,
    durationSeconds: (performance.now() - startedAt) / 1e3,
    ttfbSeconds,
    outcome,
  };
}

/** The chunks with the public model id; `ended` hears once how the stream ended. */
async function* withPublicModel(
  chunks: AsyncIterable<ChatCompletionChunk>,
  call: ModelCall,
  ended: (outcome: UpstreamOutcome) => void,
): AsyncIterable<ChatCompletionChunk> {
  // a reader that stops early (the client left, a shutdown cut it) leaves it "aborted"
  let outcome: UpstreamOutcome = "aborted";
  try {
    for await (const chunk of chunks) yield { ...chunk, model: call.model.id };
    outcome = "success";
  } catch (error) {
    outcome = upstreamOutcomeOf(error, call.signal);
    throw error;
  } finally {
    ended(outcome);
  }
}
