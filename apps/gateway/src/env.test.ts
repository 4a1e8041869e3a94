import { availableParallelism } from "node:os";
import { describe, expect, it } from "vitest";
import { parseGatewayEnv } from "./env.ts";

describe("gateway configuration", () => {
  it("has defaults for every variable", () => {
    const env = parseGatewayEnv({});
    expect(env).toMatchObject({ GATEWAY_PORT: 8080, GATEWAY_HOST: "0.0.0.0", LOG_LEVEL: "info" });
    expect(env.DATA_DIR).toMatch(/\.data$/);
  });

  it("names the variable whose value is wrong", () => {
    expect(() => parseGatewayEnv({ GATEWAY_PORT: "eighty" })).toThrow(/GATEWAY_PORT/);
    expect(() => parseGatewayEnv({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL: must be a postgres/);
    expect(() => parseGatewayEnv({ LOG_LEVEL: "loud" })).toThrow(/LOG_LEVEL/);
  });

  it("reads UPSTREAM_API_KEYS as keys by origin, and names what is wrong with it", () => {
    const keys = parseGatewayEnv({
      UPSTREAM_API_KEYS: '{"https://api.one.example/v1": "sk-one", "http://10.0.0.5:8000": "token"}',
    }).UPSTREAM_API_KEYS;
    expect([...keys]).toEqual([
      ["https://api.one.example", "sk-one"],
      ["http://10.0.0.5:8000", "token"],
    ]);
    expect(parseGatewayEnv({}).UPSTREAM_API_KEYS.size).toBe(0);
    expect(() => parseGatewayEnv({ UPSTREAM_API_KEYS: "https://x=sk" })).toThrow(
      /UPSTREAM_API_KEYS: must be JSON/,
    );
    expect(() => parseGatewayEnv({ UPSTREAM_API_KEYS: '{"ftp://x": "sk"}' })).toThrow(/UPSTREAM_API_KEYS/);
    expect(() => parseGatewayEnv({ UPSTREAM_API_KEYS: '{"https://x": ""}' })).toThrow(/UPSTREAM_API_KEYS/);
  });

  it("reads UPSTREAM_API_KEYS by plain name too, for deployments' apiKeyRef", () => {
    const keys = parseGatewayEnv({
      UPSTREAM_API_KEYS: '{"vllm-east": "sk-east", "OPENAI_PROD": "sk-prod", "https://h.example/v1": "sk-h"}',
    }).UPSTREAM_API_KEYS;
    expect([...keys]).toEqual([
      ["vllm-east", "sk-east"],
      ["OPENAI_PROD", "sk-prod"],
      ["https://h.example", "sk-h"],
    ]);
    expect(() => parseGatewayEnv({ UPSTREAM_API_KEYS: '{"-starts-badly": "sk"}' })).toThrow(
      /UPSTREAM_API_KEYS/,
    );
    expect(() => parseGatewayEnv({ UPSTREAM_API_KEYS: '{"has space": "sk"}' })).toThrow(/UPSTREAM_API_KEYS/);
  });

  it("reads TRUST_PROXY as a list of proxies and refuses trusting everyone", () => {
    expect(parseGatewayEnv({}).TRUST_PROXY).toEqual([]);
    expect(parseGatewayEnv({ TRUST_PROXY: "loopback,10.0.0.0/8" }).TRUST_PROXY).toEqual([
      "loopback",
      "10.0.0.0/8",
    ]);
    expect(() => parseGatewayEnv({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY: trusting every address/);
    expect(() => parseGatewayEnv({ TRUST_PROXY: "proxy.local" })).toThrow(/TRUST_PROXY: 'proxy.local'/);
  });

  it("has timeouts for slow clients, the idle one outlasting the longest upstream answer", () => {
    expect(parseGatewayEnv({})).toMatchObject({
      REQUEST_TIMEOUT_MS: 300_000,
      HEADERS_TIMEOUT_MS: 20_000,
      KEEP_ALIVE_TIMEOUT_MS: 72_000,
      CONNECTION_TIMEOUT_MS: 660_000,
    });
    expect(parseGatewayEnv({ UPSTREAM_TOTAL_TIMEOUT_MS: "30000" }).CONNECTION_TIMEOUT_MS).toBe(90_000);
    expect(parseGatewayEnv({ CONNECTION_TIMEOUT_MS: "5000" }).CONNECTION_TIMEOUT_MS).toBe(5_000);
    expect(() => parseGatewayEnv({ HEADERS_TIMEOUT_MS: "0" })).toThrow(/HEADERS_TIMEOUT_MS/);
    expect(() => parseGatewayEnv({ HEADERS_TIMEOUT_MS: "60000", REQUEST_TIMEOUT_MS: "30000" })).toThrow(
      /HEADERS_TIMEOUT_MS must not exceed REQUEST_TIMEOUT_MS/,
    );
  });

  it("gives streams 30 s on SIGTERM by default, 0 to 10 minutes when set", () => {
    expect(parseGatewayEnv({}).SHUTDOWN_GRACE_MS).toBe(30_000);
    expect(parseGatewayEnv({ SHUTDOWN_GRACE_MS: "0" }).SHUTDOWN_GRACE_MS).toBe(0);
    expect(() => parseGatewayEnv({ SHUTDOWN_GRACE_MS: "-1" })).toThrow(/SHUTDOWN_GRACE_MS/);
    expect(() => parseGatewayEnv({ SHUTDOWN_GRACE_MS: "600001" })).toThrow(/SHUTDOWN_GRACE_MS/);
  });

  it("runs one gateway process unless Redis shares the limits: then one per core by default", () => {
    const database = { DATABASE_URL: "postgresql://db.example/dsc" };
    const redis = { ...database, REDIS_URL: "redis://redis.example:6379" };
    expect(parseGatewayEnv({}).GATEWAY_WORKERS).toBe(1);
    expect(parseGatewayEnv(database).GATEWAY_WORKERS).toBe(1);
    expect(parseGatewayEnv(redis).GATEWAY_WORKERS).toBe(availableParallelism());
    expect(parseGatewayEnv({ ...redis, GATEWAY_WORKERS: "3" }).GATEWAY_WORKERS).toBe(3);
    // the embedded database is the gateway process's own: one process, whatever REDIS_URL says
    expect(parseGatewayEnv({ REDIS_URL: redis.REDIS_URL }).GATEWAY_WORKERS).toBe(1);
    expect(() => parseGatewayEnv({ ...redis, GATEWAY_WORKERS: "0" })).toThrow(/GATEWAY_WORKERS/);
    expect(() => parseGatewayEnv({ ...redis, GATEWAY_WORKERS: "two" })).toThrow(/GATEWAY_WORKERS/);
  });

  it("refuses several processes whose limits the memory store could not keep exact, or without DATABASE_URL", () => {
    expect(() =>
      parseGatewayEnv({ DATABASE_URL: "postgresql://db.example/dsc", GATEWAY_WORKERS: "2" }),
    ).toThrow(/GATEWAY_WORKERS=2 needs REDIS_URL: .* set REDIS_URL, or GATEWAY_WORKERS=1/);
    expect(() => parseGatewayEnv({ REDIS_URL: "redis://redis.example:6379", GATEWAY_WORKERS: "2" })).toThrow(
      /GATEWAY_WORKERS=2 needs DATABASE_URL/,
    );
    expect(parseGatewayEnv({ GATEWAY_WORKERS: "1" }).GATEWAY_WORKERS).toBe(1);
  });
});
