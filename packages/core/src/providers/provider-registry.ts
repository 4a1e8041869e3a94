import type { ChatProvider } from "./chat-provider.ts";
import { createLocalProvider } from "./local-provider.ts";
import {
  createOpenAICompatibleProvider,
  type OpenAICompatibleProvider,
  type UpstreamRetries,
  type UpstreamTimeouts,
} from "./openai-compatible-provider.ts";

/** The upstream that models without a base URL of their own use (UPSTREAM_* settings). */
export interface DefaultUpstream {
  baseUrl: string;
  apiKey: string | null;
  /** the upstream model name for models that name none */
  model: string | null;
}

export interface ProviderRegistryOptions {
  defaultUpstream: DefaultUpstream | null;
  /**
   * API keys of other upstreams (UPSTREAM_API_KEYS), by origin (`https://host:port`): a
   * deployment whose base URL has that origin calls it with that key; or by a plain name, which
   * a deployment names in its `apiKeyRef`
   */
  upstreamKeys?: ReadonlyMap<string, string>;
  timeouts?: UpstreamTimeouts;
  retries?: UpstreamRetries;
  /** the built-in model; a local provider with the system clock unless given */
  local?: ChatProvider;
}

/**
 * Where one deployment of a model sends its requests: the model's id and provider with the
 * deployment's fields (a `Model` row without deployments is its own one deployment).
 */
export interface ModelRoute {
  id: string;
  provider: "LOCAL" | "OPENAI_COMPATIBLE";
  upstreamBaseUrl: string | null;
  upstreamModel: string | null;
  /** the name of the deployment's key in UPSTREAM_API_KEYS; absent or null = the key of its origin */
  apiKeyRef?: string | null;
  /** the deployment's own timeouts, each null or absent = the registry's */
  timeouts?: { connectMs: number | null; firstByteMs: number | null; totalMs: number | null };
}

export interface ResolvedProvider {
  provider: ChatProvider;
  /** the name to put in the request's `model` for this provider */
  upstreamModel: string;
}

/** Satisfies `ProviderResolver` (provider-resolver.ts), which is all the request path uses. */
export interface ProviderRegistry {
  resolve(model: ModelRoute): ResolvedProvider;
  /** closes every upstream connection pool */
  close(): Promise<void>;
}

/**
 * Which provider answers a model. Upstream providers are made on first use and kept, one per
 * base URL, so that every model on the same server shares one keep-alive pool.
 */
export function createProviderRegistry(options: ProviderRegistryOptions): ProviderRegistry {
  const local = options.local ?? createLocalProvider();
  const upstreams = new Map<string, OpenAICompatibleProvider>();

  function upstreamAt(
    baseUrl: string,
    apiKeyRef: string | null,
    timeouts: ModelRoute["timeouts"],
  ): OpenAICompatibleProvider {
    // the lookbehind reads a run of trailing slashes once, not once per character of it
    const url = baseUrl.replace(/(?<!\/)\/+$/, "");
    const ownTimeouts = timeoutsOf(timeouts);
    // deployments of one server with the same key and timeouts share one keep-alive pool
    const key = `${url} ${apiKeyRef ?? ""} ${ownTimeouts.connectMs} ${ownTimeouts.firstByteMs} ${ownTimeouts.totalMs}`;
    let provider = upstreams.get(key);
    if (provider === undefined) {
      provider = createOpenAICompatibleProvider({
        baseUrl: url,
        apiKey: apiKeyRef ? (options.upstreamKeys?.get(apiKeyRef) ?? null) : apiKeyFor(url),
        timeouts: ownTimeouts,
        ...(options.retries && { retries: options.retries }),
      });
      upstreams.set(key, provider);
    }
    return provider;
  }

  function timeoutsOf(own: ModelRoute["timeouts"]): UpstreamTimeouts {
    const defaults = options.timeouts ?? {};
    return {
      connectMs: own?.connectMs ?? defaults.connectMs,
      firstByteMs: own?.firstByteMs ?? defaults.firstByteMs,
      totalMs: own?.totalMs ?? defaults.totalMs,
    };
  }

  /**
   * Keys live in the configuration, never in the model table, and each goes only to its own
   * origin: a model row naming another host must never receive one.
   */
  function apiKeyFor(baseUrl: string): string | null {
    const origin = new URL(baseUrl).origin;
    const ownKey = options.upstreamKeys?.get(origin);
    if (ownKey !== undefined) return ownKey;
    const configured = options.defaultUpstream?.baseUrl;
    return configured !== undefined && new URL(configured).origin === origin
      ? (options.defaultUpstream?.apiKey ?? null)
      : null;
  }

  return {
    resolve(model) {
      const localRoute = { provider: local, upstreamModel: model.id };
      if (model.provider === "LOCAL") return localRoute;
      // an empty base URL in the table means "not set", like null
      const baseUrl = model.upstreamBaseUrl || options.defaultUpstream?.baseUrl || null;
      // no upstream configured anywhere: the built-in model answers, so the platform works out of the box
      if (baseUrl === null) return localRoute;
      return {
        provider: upstreamAt(baseUrl, model.apiKeyRef ?? null, model.timeouts),
        upstreamModel: model.upstreamModel ?? options.defaultUpstream?.model ?? model.id,
      };
    },

    async close() {
      const providers = [...upstreams.values()];
      upstreams.clear();
      await Promise.all(providers.map((provider) => provider.close()));
    },
  };
}
