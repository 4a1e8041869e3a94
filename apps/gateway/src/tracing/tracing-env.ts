import { z } from "zod";

// OpenTelemetry's variables count an empty value as unset
const unsetWhenEmpty = (value: unknown) => (value === "" ? undefined : value);
const collectorUrl = z.preprocess(unsetWhenEmpty, z.url({ protocol: /^https?$/ }).optional());
const count = (max: number) =>
  z.preprocess(unsetWhenEmpty, z.coerce.number().int().min(1).max(max).optional());

export const TRACES_SAMPLERS = [
  "always_on",
  "always_off",
  "traceidratio",
  "parentbased_always_on",
  "parentbased_always_off",
  "parentbased_traceidratio",
] as const;

/**
 * The standard OpenTelemetry variables the gateway reads itself: whether to trace at all (an
 * OTLP endpoint), the sampler, and the batch span processor (SDK 3 no longer reads these).
 * The OTLP exporter reads its own (OTEL_EXPORTER_OTLP_HEADERS, _TIMEOUT, _COMPRESSION,
 * _CERTIFICATE, …, plain and _TRACES_) and the resource OTEL_SERVICE_NAME and
 * OTEL_RESOURCE_ATTRIBUTES, from the process environment, as the specification says.
 */
export const tracingEnvSchema = z.object({
  /** an OTLP/HTTP collector; traces go to …/v1/traces. Unset with the next: nothing is traced */
  OTEL_EXPORTER_OTLP_ENDPOINT: collectorUrl,
  /** the traces endpoint itself, used as given */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: collectorUrl,
  /** true: no tracing whatever the endpoints say */
  OTEL_SDK_DISABLED: z
    .preprocess(unsetWhenEmpty, z.enum(["true", "false", "TRUE", "FALSE", "True", "False"]).default("false"))
    .transform((value) => value.toLowerCase() === "true"),
  OTEL_TRACES_SAMPLER: z.preprocess(unsetWhenEmpty, z.enum(TRACES_SAMPLERS).default("parentbased_always_on")),
  /** the ratio of traceidratio samplers, 0 to 1 (default 1) */
  OTEL_TRACES_SAMPLER_ARG: z.preprocess(unsetWhenEmpty, z.coerce.number().min(0).max(1).optional()),
  /** milliseconds between two exports (default 5000) */
  OTEL_BSP_SCHEDULE_DELAY: count(600_000),
  /** milliseconds an export may take (default 30000) */
  OTEL_BSP_EXPORT_TIMEOUT: count(600_000),
  /** spans kept waiting for export; more are dropped (default 2048) */
  OTEL_BSP_MAX_QUEUE_SIZE: count(1_000_000),
  /** spans per export (default 512) */
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: count(1_000_000),
});

export type TracingEnv = z.infer<typeof tracingEnvSchema>;

/** Whether traces are to be exported at all. */
export function isTracingConfigured(env: TracingEnv): boolean {
  return (
    !env.OTEL_SDK_DISABLED &&
    (env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT !== undefined)
  );
}
