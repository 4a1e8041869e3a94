import { describe, expect, it } from "vitest";
import { parseWorkerEnv } from "./env.ts";

const TOKEN = "w".repeat(32);

describe("the worker's metrics settings", () => {
  it("serve no metrics by default", () => {
    const env = parseWorkerEnv({});
    expect(env.WORKER_METRICS_PORT).toBeUndefined();
    expect(env.WORKER_METRICS_HOST).toBe("127.0.0.1");
  });

  it("take a port with a token, on the loopback address unless told otherwise", () => {
    expect(parseWorkerEnv({ WORKER_METRICS_PORT: "9464", METRICS_TOKEN: TOKEN })).toMatchObject({
      WORKER_METRICS_PORT: 9464,
      WORKER_METRICS_HOST: "127.0.0.1",
    });
    expect(
      parseWorkerEnv({ WORKER_METRICS_PORT: "9464", WORKER_METRICS_HOST: "0.0.0.0", METRICS_TOKEN: TOKEN })
        .WORKER_METRICS_HOST,
    ).toBe("0.0.0.0");
  });

  it("refuse a port without a token, a short token, and a port out of range", () => {
    expect(() => parseWorkerEnv({ WORKER_METRICS_PORT: "9464" })).toThrow(/METRICS_TOKEN/);
    expect(() => parseWorkerEnv({ WORKER_METRICS_PORT: "9464", METRICS_TOKEN: "short" })).toThrow(
      /METRICS_TOKEN: must be at least 32 characters/,
    );
    expect(() => parseWorkerEnv({ WORKER_METRICS_PORT: "70000", METRICS_TOKEN: TOKEN })).toThrow(
      /WORKER_METRICS_PORT/,
    );
  });
});
