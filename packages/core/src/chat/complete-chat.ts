import type { ChatCompletion, ChatCompletionRequest } from "@dsc/api-client";
import {
  type CompletionCache,
  completionCacheRef,
  findCachedCompletion,
  storeCompletion,
} from "../cache/completion-cache.ts";
import type { ChatLogWriter } from "../chat-logs/chat-log-writer.ts";
import { dataPolicyOf } from "../chat-logs/data-policy.ts";
import type { Principal } from "../credentials/principal.ts";
import type { DeploymentRouter } from "../deployments/deployment-router.ts";
import { callerLimitsOf } from "../limits/caller-limits.ts";
import { chooseModel, type ModelRetirement } from "../models/organization-models.ts";
import type { OrganizationSnapshot } from "../organizations/organization-snapshot.ts";
import type { ProviderResolver } from "../providers/provider-resolver.ts";
import type { TextWork } from "../text-work/text-work.ts";
import type { Clock } from "../time/clock.ts";
import type { TokenUsage } from "../tokens/token-usage.ts";
import { withSpan } from "../tracing/spans.ts";
import { completionUsage, estimatedCompletionUsage } from "../usage/count-usage.ts";
import type { RequestMeter } from "../usage/request-meter.ts";
import { completeWithModel, streamFromModel } from "./call-model.ts";
import { type ChatTurnRecorder, followStream, type StreamAnswer } from "./follow-stream.ts";
import { type GenerationSpan, startGenerationSpan, UNTRACED_GENERATION } from "./generation-span.ts";
import type { ObserveUpstream } from "./upstream-observer.ts";

/** Built once at start-up: what a chat completion needs besides its request. */
export interface CompleteChatDeps {
  clock: Clock;
  providers: ProviderResolver;
  /** counting and masking of large texts in worker threads, so that one prompt never holds the event loop */
  textWork: Pick<TextWork, "countTokenUsage" | "maskMessages">;
  /** masks, seals and stores turns in batches, off the response path */
  chatLogs: Pick<ChatLogWriter, "record">;
  /** null when caching is off; its entries are sealed under the subject's data key */
  responseCache: CompletionCache | null;
  /** told about each upstream call (the gateway's metrics); absent = not observed */
  observeUpstream?: ObserveUpstream;
  /** routes to the models' deployments (one per process); absent = one of these deps' own, without health */
  router?: DeploymentRouter;
}

/** Where failures of the work after the answer go (the request's logger). */
export interface ProblemLog {
  error(details: { err: unknown }, message: string): void;
}

export interface CompleteChatInput {
  principal: Principal;
  /** the caller's organization, as the request path keeps it in memory */
  organization: OrganizationSnapshot;
  /** the body, already validated with the contract */
  request: ChatCompletionRequest;
  requestId: string;
  /** aborted when the client goes away: the provider stops its upstream work */
  signal: AbortSignal;
  /** the request's own opt-out (`X-Data-Opt-Out`): usage is counted, nothing else is kept */
  optedOut: boolean;
  /** the request asked for a fresh answer (`Cache-Control: no-cache` or `no-store`) */
  refusesCache: boolean;
  /** the request's meter (the rate-limit plugin made it and attached the token reservation) */
  meter: Pick<RequestMeter, "hold" | "report">;
  log: ProblemLog;
}

export interface CompletionAnswer {
  kind: "completion";
  completion: ChatCompletion;
  isCached: boolean;
  /** resolves once the usage is reported, the turn recorded and the cache written (never rejects) */
  settled: Promise<void>;
}

/**
 * What the route writes: the answer, and the retirement of the model asked for while it is still
 * served (Deprecation, Sunset and Link headers).
 */
export type ChatAnswer = (CompletionAnswer | StreamAnswer) & { retirement: ModelRetirement | null };

// a model id as sent is recorded with the usage, bounded: an unknown one can be anything
const MAX_RECORDED_MODEL_ID = 128;

/**
 * A chat completion for an authenticated caller, from the validated request to what the route
 * writes. The model must be one its organization's tier may use; the data policy decides
 * whether the turn is logged (encrypted, masked) and whether the prompt is masked for the
 * upstream (in the text-work pool when large: a failure fails the request, unmasked text never
 * leaves). A deterministic request may be answered from the response cache, and its answer is
 * stored. The usage is counted after the answer went out and reported to the meter, which
 * settles the token reservation and queues the UsageEvent; it is held open meanwhile.
 *
 * A stream's answer is observed as it is written; its `end` counts the usage and records the
 * turn before the last event, and a failure there must end the stream with an error event.
 */
export async function completeChat(deps: CompleteChatDeps, input: CompleteChatInput): Promise<ChatAnswer> {
  const { request, meter, organization } = input;
  meter.report({ modelId: request.model.slice(0, MAX_RECORDED_MODEL_ID), endUserId: request.user || null });
  // the usage is known only once the answer is complete, after the response for a stream
  const release = meter.hold();
  try {
    const now = deps.clock.now();
    // an alias is answered and billed as its target; a fallback, when it answers, as itself
    const choice = chooseModel(organization, request.model, now);
    const model = choice.target;
    let servedModelId = model.id;
    meter.report({ modelId: servedModelId });
    const policy = dataPolicyOf(organization, { optedOut: input.optedOut, now });
    const upstreamRequest = policy.maskUpstream
      ? { ...request, messages: await deps.textWork.maskMessages(request.messages, policy.maskKinds) }
      : request;
    // an encrypted, masked record of the turn: the writer masks and seals it off the response path
    const recordTurn: ChatTurnRecorder = (response, tokens) => {
      if (!policy.keepLog) return;
      deps.chatLogs.record({
        requestId: input.requestId,
        organizationId: input.principal.organizationId,
        apiKeyId: input.principal.kind === "api_key" ? input.principal.credentialId : null,
        modelId: servedModelId,
        endUserId: request.user || null,
        messages: request.messages,
        response,
        maskKinds: policy.maskKinds,
        promptTokens: tokens.promptTokens,
        completionTokens: tokens.completionTokens,
        expiresAt: policy.logExpiresAt,
      });
    };
    const call = { model, fallback: choice.fallback, request: upstreamRequest, signal: input.signal };
    const served = (servedBy: { id: string }) => {
      if (servedBy.id === servedModelId) return;
      servedModelId = servedBy.id;
      meter.report({ modelId: servedModelId });
    };

    if (upstreamRequest.stream) {
      const generation = startGenerationSpan(request, model);
      const streamed = await generation.run(() => streamFromModel(deps, call));
      served(streamed.servedBy);
      const answer = followStream(
        { textWork: deps.textWork },
        { request, chunks: streamed.answer, meter, recordTurn, release, generation },
      );
      return { ...answer, retirement: choice.retirement };
    }

    const isCacheable =
      deps.responseCache !== null &&
      deps.responseCache.ttlMs > 0 &&
      callerLimitsOf(organization, input.principal).isResponseCacheAllowed &&
      policy.keepLog &&
      !input.refusesCache;
    const cacheRef = isCacheable
      ? completionCacheRef({
          organizationId: input.principal.organizationId,
          modelId: model.id,
          request: upstreamRequest,
        })
      : null;
    const cache = cacheRef ? deps.responseCache : null;
    const cached =
      cache && cacheRef
        ? await withSpan("cache lookup", undefined, async (span) => {
            const found = await findCachedCompletion({ ...cache, clock: deps.clock }, cacheRef);
            span?.setAttribute("dsc.cache.hit", found !== null);
            return found;
          })
        : null;
    const generation = cached ? UNTRACED_GENERATION : startGenerationSpan(request, model);
    const fresh = cached ? null : await generation.run(() => completeWithModel(deps, call));
    const completion = cached ?? (fresh as NonNullable<typeof fresh>).answer;
    if (fresh) served(fresh.servedBy);
    generation.answered(completion);
    // the answer goes out now; the meter ends once the cache has it too. A fallback's answer is
    // not kept under the model asked for.
    const cacheWrite =
      !cached && cache && cacheRef && servedModelId === model.id
        ? withSpan("cache store", undefined, () => storeCompletion(cache, cacheRef, completion, now)).finally(
            meter.hold(),
          )
        : null;
    const settled = settleCompletion(deps, input, {
      completion,
      isCached: cached !== null,
      recordTurn,
      generation,
    }).finally(release);
    return {
      kind: "completion",
      completion,
      isCached: cached !== null,
      settled: Promise.all([settled, cacheWrite]).then(() => {}),
      retirement: choice.retirement,
    };
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * Counts what a JSON answer used (the pool counts a large prompt) once it went out, reports it
 * to the meter and records the turn; with the estimate when counting fails. Never rejects.
 */
function settleCompletion(
  deps: CompleteChatDeps,
  input: CompleteChatInput,
  answer: {
    completion: ChatCompletion;
    isCached: boolean;
    recordTurn: ChatTurnRecorder;
    generation: GenerationSpan;
  },
): Promise<void> {
  const { completion } = answer;
  return completionUsage(deps.textWork, input.request, completion)
    .catch((error: unknown): TokenUsage => {
      input.log.error({ err: error }, "usage not counted: settled with the estimate");
      return estimatedCompletionUsage(input.request, completion);
    })
    .then((usage) => {
      input.meter.report(answer.isCached ? { cached: true } : usage);
      answer.generation.end(usage);
      answer.recordTurn(completion, usage);
    })
    .catch((error: unknown) => {
      answer.generation.end(null);
      input.log.error({ err: error }, "chat log not recorded");
    });
}
