import type { Model } from "@dsc/db";
import type { ChatProvider } from "./chat-provider.ts";

/**
 * Finds the provider that serves a model row: all the request path needs of the registry
 * (createProviderRegistry), and what tests replace with a provider of their own.
 */
export interface ProviderResolver {
  resolve(model: Pick<Model, "id" | "provider" | "upstreamBaseUrl" | "upstreamModel">): {
    provider: ChatProvider;
    upstreamModel: string;
  };
}
