import { describe, expect, it } from "vitest";
import { createGatewayLogger } from "./gateway-logger.ts";

/** A logger writing into an array: each line parsed, as a log reader sees it. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createGatewayLogger("info", { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe("the gateway's logger", () => {
  it("writes a request line's fields as they are", () => {
    const { logger, lines } = capturedLogger();
    const fields = { method: "POST", route: "/v1/chat/completions", status: 200, latencyMs: 3, org: "org_1" };
    logger.child({ reqId: "req_1" }).info(fields, "request");
    expect(lines).toEqual([expect.objectContaining({ ...fields, reqId: "req_1", msg: "request" })]);
  });

  it("censors the authorization header, where it is logged with a request or on its own", () => {
    const { logger, lines } = capturedLogger();
    logger.info({ req: { headers: { authorization: "Bearer sk-live-1", host: "api" } } }, "in");
    logger.info({ headers: { authorization: "Bearer sk-live-2" } }, "out");
    expect(JSON.stringify(lines)).not.toContain("sk-live");
    expect(lines[0]).toMatchObject({ req: { headers: { authorization: "[redacted]", host: "api" } } });
    expect(lines[1]).toMatchObject({ headers: { authorization: "[redacted]" } });
  });

  it("censors apiKey and secret fields at the top of a line and one object down, and leaves the caller's objects alone", () => {
    const { logger, lines } = capturedLogger();
    const upstream = { baseUrl: "http://127.0.0.1:9", apiKey: "sk-upstream" };
    const client = { id: "cli_1", secret: "oauth-secret" };
    logger.info(
      { upstream, client, apiKey: "sk-top", secret: "top-secret", kept: { apiKeyId: "key_1" } },
      "m",
    );
    expect(lines[0]).toMatchObject({
      upstream: { baseUrl: "http://127.0.0.1:9", apiKey: "[redacted]" },
      client: { id: "cli_1", secret: "[redacted]" },
      apiKey: "[redacted]",
      secret: "[redacted]",
      kept: { apiKeyId: "key_1" },
    });
    expect(JSON.stringify(lines)).not.toMatch(/sk-upstream|oauth-secret|sk-top|top-secret/);
    expect(upstream.apiKey).toBe("sk-upstream");
    expect(client.secret).toBe("oauth-secret");
  });

  it("censors an error's secret fields, under err with its message and stack kept, and under any other name", () => {
    const { logger, lines } = capturedLogger();
    const failure = Object.assign(new Error("upstream refused"), { apiKey: "sk-in-error" });
    logger.error({ err: failure }, "failed");
    logger.error({ cause: failure }, "failed again");
    expect(JSON.stringify(lines)).not.toContain("sk-in-error");
    expect(lines[0]?.err).toMatchObject({ type: "Error", message: "upstream refused", apiKey: "[redacted]" });
    expect(lines[0]?.err).toHaveProperty("stack", expect.stringContaining("upstream refused"));
    expect(lines[1]).toMatchObject({ cause: { apiKey: "[redacted]" } });
    expect(failure.apiKey).toBe("sk-in-error");
  });
});
