import type { ChatProvider } from "./chat-provider.ts";
import type { ModelRoute } from "./provider-registry.ts";

/**
 * Finds the provider that serves one deployment of a model (a model row without deployments
 * is its own): all the request path needs of the registry (createProviderRegistry), and what
 * tests replace with a provider of their own.
 */
export interface ProviderResolver {
  resolve(route: ModelRoute): {
    provider: ChatProvider;
    upstreamModel: string;
  };
}
