import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import type { Model } from "@dsc/db";
import { isDeterministicRequest, type ResponseCache, responseCacheKey } from "../cache/response-cache.ts";
import { randomBase62 } from "../ids/public-id.ts";
import type { ChatProvider } from "../providers/chat-provider.ts";
import type { Clock } from "../time/clock.ts";

/** Finds the provider that serves a model row. */
export interface ProviderResolver {
  resolve(model: Pick<Model, "id" | "provider" | "upstreamBaseUrl" | "upstreamModel">): {
    provider: ChatProvider;
    upstreamModel: string;
  };
}

export type ChatCompletionResult =
  | {
      kind: "completion";
      completion: ChatCompletion;
      isCached: boolean;
      /** the answer being stored in the cache, not awaited (the cache never throws) */
      cacheWrite: Promise<void> | null;
    }
  | { kind: "stream"; chunks: AsyncIterable<ChatCompletionChunk> };

/** Whether and how long answers of this call may be kept; null: neither read nor written. */
export interface ChatCachePolicy {
  ttlMs: number;
}

/**
 * Runs a chat completion for an organization on a model its tier may use (modelAvailableTo); the
 * provider gets the upstream model name, and answers carry the public model id again.
 * For streams the promise settles when the first chunk is there, so failures before any
 * byte was sent can still become a plain error response.
 *
 * With a cache and a policy, a deterministic request (temperature 0, n 1, no stream) is
 * answered from the cache when an identical one was answered within the TTL (`isCached`),
 * else the provider's answer is stored. A hit gets a fresh id and time, like any answer.
 */
export async function startChatCompletion(
  deps: { clock: Clock; providers: ProviderResolver; cache?: ResponseCache | null },
  input: {
    organizationId: string;
    model: Model;
    request: ChatCompletionRequest;
    signal: AbortSignal;
    cache?: ChatCachePolicy | null;
  },
): Promise<ChatCompletionResult> {
  const model = input.model;
  const { provider, upstreamModel } = deps.providers.resolve(model);
  const call = { request: { ...input.request, model: upstreamModel }, signal: input.signal };
  if (!input.request.stream) {
    const cache = deps.cache && input.cache && isDeterministicRequest(input.request) ? deps.cache : null;
    const ref = cache && {
      organizationId: input.organizationId,
      endUserId: input.request.user || null,
      hash: responseCacheKey({
        organizationId: input.organizationId,
        modelId: model.id,
        request: input.request,
      }),
    };
    if (cache && ref) {
      const hit = await cache.get(ref);
      if (hit !== null) {
        const stored = JSON.parse(hit) as ChatCompletion;
        const created = Math.floor(deps.clock.now().getTime() / 1000);
        return {
          kind: "completion",
          completion: { ...stored, id: newCompletionId(), created },
          isCached: true,
          cacheWrite: null,
        };
      }
    }
    const completion = { ...(await provider.complete(call)), model: model.id };
    const cacheWrite =
      cache && ref && input.cache ? cache.set(ref, JSON.stringify(completion), input.cache.ttlMs) : null;
    return { kind: "completion", completion, isCached: false, cacheWrite };
  }
  const chunks = await provider.stream(call);
  return { kind: "stream", chunks: withPublicModel(chunks, model.id) };
}

async function* withPublicModel(
  chunks: AsyncIterable<ChatCompletionChunk>,
  modelId: string,
): AsyncIterable<ChatCompletionChunk> {
  for await (const chunk of chunks) yield { ...chunk, model: modelId };
}

function newCompletionId(): string {
  return `chatcmpl-${randomBase62(24)}`;
}
