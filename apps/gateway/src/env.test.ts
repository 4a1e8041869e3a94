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
});
