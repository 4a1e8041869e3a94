import type { DeployedModel } from "../organizations/served-model.ts";
import type { ChatProvider } from "../providers/chat-provider.ts";
import type { ProviderResolver } from "../providers/provider-resolver.ts";

/** One deployment, resolved to the provider that calls it. */
export interface RoutedDeployment {
  /** the deployment's id (`dep_…`), or `model:<id>` for a model without deployment rows */
  id: string;
  provider: ChatProvider;
  upstreamModel: string;
  weight: number;
  requestsPerMinute: number | null;
  tokensPerMinute: number | null;
  /** whether either per-minute limit is set (checked without reading the counters otherwise) */
  hasLimits: boolean;
}

/** Where a model's requests may go, computed once per snapshot of the model. */
export interface ModelRoutes {
  modelId: string;
  strategy: "WEIGHTED" | "LEAST_IN_FLIGHT";
  /** the priority groups, preferred first; every group has at least one deployment, and there may be none */
  groups: readonly (readonly RoutedDeployment[])[];
  /** every deployment, preferred group first */
  all: readonly RoutedDeployment[];
}

/**
 * The routes of a model: its enabled deployments grouped by priority (stable: in the given
 * order within a group), each resolved to its provider. A model row without deployment rows (written before deployments, or by hand) is
 * served by its own deprecated upstream columns, as one deployment.
 */
export function compileModelRoutes(providers: ProviderResolver, model: DeployedModel): ModelRoutes {
  // a model whose deployments are all disabled has no route: its requests fail over to its
  // fallback, or fail
  const rows =
    model.deployments.length > 0
      ? model.deployments.filter((row) => row.isEnabled).sort((a, b) => a.priority - b.priority)
      : [
          {
            id: `model:${model.id}`,
            upstreamBaseUrl: model.upstreamBaseUrl,
            upstreamModel: model.upstreamModel,
            apiKeyRef: null,
            weight: 1,
            priority: 0,
            requestsPerMinute: null,
            tokensPerMinute: null,
            connectTimeoutMs: null,
            firstByteTimeoutMs: null,
            totalTimeoutMs: null,
          },
        ];
  const groups: RoutedDeployment[][] = [];
  let groupPriority: number | null = null;
  for (const row of rows) {
    const { provider, upstreamModel } = providers.resolve({
      id: model.id,
      provider: model.provider,
      upstreamBaseUrl: row.upstreamBaseUrl,
      upstreamModel: row.upstreamModel,
      apiKeyRef: row.apiKeyRef,
      timeouts: {
        connectMs: row.connectTimeoutMs,
        firstByteMs: row.firstByteTimeoutMs,
        totalMs: row.totalTimeoutMs,
      },
    });
    const routed: RoutedDeployment = {
      id: row.id,
      provider,
      upstreamModel,
      weight: row.weight,
      requestsPerMinute: row.requestsPerMinute,
      tokensPerMinute: row.tokensPerMinute,
      hasLimits: row.requestsPerMinute !== null || row.tokensPerMinute !== null,
    };
    if (groupPriority === row.priority) groups[groups.length - 1]?.push(routed);
    else {
      groups.push([routed]);
      groupPriority = row.priority;
    }
  }
  return { modelId: model.id, strategy: model.routingStrategy, groups, all: groups.flat() };
}
