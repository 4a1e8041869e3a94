import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import type { Model } from "@dsc/db";
import type { ProviderResolver } from "../providers/provider-resolver.ts";

interface ModelCall {
  model: Model;
  request: ChatCompletionRequest;
  signal: AbortSignal;
}

/** One answer of the model's provider, which gets the upstream model name; answers carry the public id. */
export async function completeWithModel(
  deps: { providers: ProviderResolver },
  call: ModelCall,
): Promise<ChatCompletion> {
  const { provider, upstreamModel } = deps.providers.resolve(call.model);
  const completion = await provider.complete({
    request: { ...call.request, model: upstreamModel },
    signal: call.signal,
  });
  return { ...completion, model: call.model.id };
}

/**
 * A stream of the model's provider. The promise settles when the first chunk is there, so
 * failures before any byte was sent can still become a plain error response.
 */
export async function streamFromModel(
  deps: { providers: ProviderResolver },
  call: ModelCall,
): Promise<AsyncIterable<ChatCompletionChunk>> {
  const { provider, upstreamModel } = deps.providers.resolve(call.model);
  const chunks = await provider.stream({
    request: { ...call.request, model: upstreamModel },
    signal: call.signal,
  });
  return withPublicModel(chunks, call.model.id);
}

async function* withPublicModel(
  chunks: AsyncIterable<ChatCompletionChunk>,
  modelId: string,
): AsyncIterable<ChatCompletionChunk> {
  for await (const chunk of chunks) yield { ...chunk, model: modelId };
}
