import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { parseGatewayEnv } from "../env.ts";
import { startTracing } from "./start-tracing.ts";
import { isTracingConfigured } from "./tracing-env.ts";

const ignoreProblems = { warn() {} };

describe("tracing configuration", () => {
  it("traces only with an OTLP endpoint, empty values counting as unset", () => {
    expect(isTracingConfigured(parseGatewayEnv({}))).toBe(false);
    expect(
      isTracingConfigured(parseGatewayEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_TRACES_SAMPLER: "" })),
    ).toBe(false);
    expect(
      isTracingConfigured(parseGatewayEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" })),
    ).toBe(true);
    expect(
      isTracingConfigured(
        parseGatewayEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "https://collector/v1/traces" }),
      ),
    ).toBe(true);
    expect(
      isTracingConfigured(
        parseGatewayEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318", OTEL_SDK_DISABLED: "true" }),
      ),
    ).toBe(false);
  });

  it("reads the sampler and batch variables, and names a wrong one", () => {
    const env = parseGatewayEnv({
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: "0.25",
      OTEL_BSP_SCHEDULE_DELAY: "200",
    });
    expect(env).toMatchObject({
      OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
      OTEL_TRACES_SAMPLER_ARG: 0.25,
      OTEL_BSP_SCHEDULE_DELAY: 200,
    });
    expect(parseGatewayEnv({}).OTEL_TRACES_SAMPLER).toBe("parentbased_always_on");
    expect(() => parseGatewayEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" })).toThrow(
      /OTEL_EXPORTER_OTLP_ENDPOINT/,
    );
    expect(() => parseGatewayEnv({ OTEL_TRACES_SAMPLER: "sometimes" })).toThrow(/OTEL_TRACES_SAMPLER/);
    expect(() => parseGatewayEnv({ OTEL_TRACES_SAMPLER_ARG: "2" })).toThrow(/OTEL_TRACES_SAMPLER_ARG/);
    expect(() => parseGatewayEnv({ OTEL_BSP_MAX_QUEUE_SIZE: "0" })).toThrow(/OTEL_BSP_MAX_QUEUE_SIZE/);
  });

  it("registers nothing without an endpoint: the API's tracer stays the no-op one", async () => {
    expect(await startTracing(parseGatewayEnv({}), ignoreProblems)).toBeNull();
    const span = trace.getTracer("probe").startSpan("probe");
    expect(span.isRecording()).toBe(false);
    expect(span.spanContext().traceId).toBe("00000000000000000000000000000000");
    span.end();
  });
});
