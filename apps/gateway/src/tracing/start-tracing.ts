import type { Sampler } from "@opentelemetry/sdk-trace";
import { isTracingConfigured, type TracingEnv } from "./tracing-env.ts";

/** The service name when neither OTEL_SERVICE_NAME nor OTEL_RESOURCE_ATTRIBUTES names one. */
export const DEFAULT_SERVICE_NAME = "dsc-gateway";

export interface Tracing {
  /** exports the spans still waiting and stops; call once the last spans (the writers') ended */
  shutdown(): Promise<void>;
}

/** Where the SDK's own complaints go (an unreachable collector, a full queue). */
export interface TracingProblems {
  warn(details: object, message: string): void;
}

/**
 * Registers the OpenTelemetry SDK as the API's global tracer provider, with the W3C trace-context
 * propagator and an AsyncLocalStorage context manager, exporting over OTLP/HTTP (JSON) in
 * batches. Only when an OTLP endpoint is set: otherwise nothing of the SDK is even loaded (the
 * imports are dynamic), and the API's no-op tracer makes every span helper a lookup.
 */
export async function startTracing(env: TracingEnv, problems: TracingProblems): Promise<Tracing | null> {
  if (!isTracingConfigured(env)) return null;
  const [api, sdk, exporter, resources, contextHooks, otelCore] = await Promise.all([
    import("@opentelemetry/api"),
    import("@opentelemetry/sdk-trace"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
    import("@opentelemetry/context-async-hooks"),
    import("@opentelemetry/core"),
  ]);
  api.diag.setLogger(
    {
      error: (message) => problems.warn({ source: "opentelemetry" }, message),
      warn: (message) => problems.warn({ source: "opentelemetry" }, message),
      info: () => {},
      debug: () => {},
      verbose: () => {},
    },
    api.DiagLogLevel.WARN,
  );
  const provider = new sdk.TracerProvider({
    // OTEL_SERVICE_NAME, then OTEL_RESOURCE_ATTRIBUTES, then ours
    resource: resources
      .defaultResource()
      .merge(resources.resourceFromAttributes({ "service.name": DEFAULT_SERVICE_NAME }))
      .merge(resources.detectResources({ detectors: [resources.envDetector] })),
    sampler: samplerOf(sdk, env),
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        // its endpoint, headers, timeout, compression and certificates from OTEL_EXPORTER_OTLP_*
        exporter: new exporter.OTLPTraceExporter(),
        scheduledDelayMillis: env.OTEL_BSP_SCHEDULE_DELAY,
        exportTimeoutMillis: env.OTEL_BSP_EXPORT_TIMEOUT,
        maxQueueSize: env.OTEL_BSP_MAX_QUEUE_SIZE,
        maxExportBatchSize: env.OTEL_BSP_MAX_EXPORT_BATCH_SIZE,
      }),
    ],
  });
  api.context.setGlobalContextManager(new contextHooks.AsyncLocalStorageContextManager().enable());
  // trace context only: baggage from a client is not passed on to upstreams
  api.propagation.setGlobalPropagator(new otelCore.W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(provider);
  return {
    async shutdown() {
      await provider.shutdown();
    },
  };
}

type Sdk = typeof import("@opentelemetry/sdk-trace");

/** OTEL_TRACES_SAMPLER and its argument, as the specification defines them. */
function samplerOf(sdk: Sdk, env: TracingEnv): Sampler {
  const ratio = () => new sdk.TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG ?? 1);
  switch (env.OTEL_TRACES_SAMPLER) {
    case "always_on":
      return new sdk.AlwaysOnSampler();
    case "always_off":
      return new sdk.AlwaysOffSampler();
    case "traceidratio":
      return ratio();
    case "parentbased_always_off":
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new sdk.ParentBasedSampler({ root: ratio() });
    default:
      return new sdk.ParentBasedSampler({ root: new sdk.AlwaysOnSampler() });
  }
}
