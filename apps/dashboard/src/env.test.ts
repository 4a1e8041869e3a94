import { describe, expect, it } from "vitest";
import { parseDashboardEnv } from "./env.ts";

describe("parseDashboardEnv", () => {
  it("applies the defaults when nothing is set", () => {
    expect(parseDashboardEnv({})).toEqual({
      WEB_PORT: 3000,
      GATEWAY_PUBLIC_URL: "http://localhost:8080",
      NEXTAUTH_URL: undefined,
    });
  });

  it("reads set values and drops a trailing slash from the gateway URL", () => {
    const env = parseDashboardEnv({
      WEB_PORT: "4100",
      GATEWAY_PUBLIC_URL: "https://api.example.com/",
      NEXTAUTH_URL: "https://dashboard.example.com",
    });
    expect(env).toEqual({
      WEB_PORT: 4100,
      GATEWAY_PUBLIC_URL: "https://api.example.com",
      NEXTAUTH_URL: "https://dashboard.example.com",
    });
  });

  it("treats empty strings as unset", () => {
    const env = parseDashboardEnv({ NEXTAUTH_URL: "", WEB_PORT: "" });
    expect(env.WEB_PORT).toBe(3000);
    expect(env.NEXTAUTH_URL).toBeUndefined();
  });

  it.each([
    ["WEB_PORT", "abc"],
    ["WEB_PORT", "70000"],
    ["WEB_PORT", "30.5"],
    ["GATEWAY_PUBLIC_URL", "ftp://example.com"],
    ["GATEWAY_PUBLIC_URL", "localhost:8080"],
    ["NEXTAUTH_URL", "not a url"],
  ])("refuses %s=%s with a message naming the variable", (variable, value) => {
    expect(() => parseDashboardEnv({ [variable]: value })).toThrow(
      expect.objectContaining({
        name: "InvalidDashboardEnvError",
        message: expect.stringContaining(variable),
      }),
    );
  });

  it("does not echo the rejected value, since later variables are secrets", () => {
    expect(() => parseDashboardEnv({ NEXTAUTH_URL: "s3cret-value" })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining("s3cret-value") }),
    );
  });
});
