import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import type { Database, Model } from "@dsc/db";
import { findModelForOrganization } from "../models/list-models-for-organization.ts";
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
  | { kind: "completion"; completion: ChatCompletion }
  | { kind: "stream"; chunks: AsyncIterable<ChatCompletionChunk> };

/**
 * Runs a chat completion for an organization: the model must be one its tier may use; the
 * provider gets the upstream model name, and answers carry the public model id again.
 * For streams the promise settles when the first chunk is there, so failures before any
 * byte was sent can still become a plain error response.
 */
export async function startChatCompletion(
  deps: { db: Database; clock: Clock; providers: ProviderResolver },
  input: { organizationId: string; request: ChatCompletionRequest; signal: AbortSignal },
): Promise<ChatCompletionResult> {
  const model = await findModelForOrganization(deps, input.organizationId, input.request.model);
  const { provider, upstreamModel } = deps.providers.resolve(model);
  const call = { request: { ...input.request, model: upstreamModel }, signal: input.signal };
  if (!input.request.stream) {
    const completion = await provider.complete(call);
    return { kind: "completion", completion: { ...completion, model: model.id } };
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
