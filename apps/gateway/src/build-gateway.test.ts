import {
  createApiKeyAuthenticator,
  createChatLogWriter,
  createInlineTextWork,
  createLocalProvider,
  createOrganizationSnapshotCache,
  systemClock,
} from "@dsc/core";
import { createDatabaseClient } from "@dsc/db";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { buildGateway } from "./build-gateway.ts";
import { createInFlightChats } from "./chat/in-flight-chats.ts";
import { createMetering } from "./limits/metering.ts";
import { createMetricsRecorder } from "./metrics/metrics-recorder.ts";
import { createDraining } from "./shutdown/draining.ts";
import { startTestGateway, TEST_KEYRING } from "./testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
});
afterAll(() => gateway.close());

async function bareGateway(db = t.db) {
  const authenticator = await createApiKeyAuthenticator({
    db,
    clock: systemClock,
    pepper: "p",
    revocations: null,
  });
  const local = createLocalProvider();
  return buildGateway({
    db,
    clock: systemClock,
    logger: pino({ level: "silent" }),
    organizations: createOrganizationSnapshotCache({ db, clock: systemClock }),
    authenticator,
    providers: { resolve: (model) => ({ provider: local, upstreamModel: model.id }) },
    metering: await createMetering({ db, clock: systemClock, logger: pino({ level: "silent" }) }),
    metrics: createMetricsRecorder(),
    keyring: TEST_KEYRING,
    chatLogs: createChatLogWriter({ db, clock: systemClock, keyring: TEST_KEYRING }),
    textWork: createInlineTextWork(),
    draining: createDraining(),
    chats: createInFlightChats(),
  });
}

describe("health", () => {
  it("GET /healthz answers ok with a request id", async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-request-id")).toMatch(/^req_[0-9A-Za-z]{24}$/);
  });

  it("GET /readyz is 200 while the database answers", async () => {
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ready", checks: { database: "up", master_key: "up" } });
  });

  it("GET /readyz is 503 when the database is unreachable", async () => {
    const app = await bareGateway(createDatabaseClient("postgresql://nobody:nothing@127.0.0.1:1/none"));
    const response = await app.inject({ method: "GET", url: "/readyz" });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toEqual({ status: "unavailable", checks: { database: "down" } });
    await app.close();
  });
});

describe("errors", () => {
  it("unknown routes are 404 in OpenAI's error shape", async () => {
    const response = await fetch(`${gateway.url}/v1/nothing-here?x=1`);
    expect(response.status).toBe(404);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await response.json()).toEqual({
      error: {
        message: "Unknown request URL: GET /v1/nothing-here.",
        type: "invalid_request_error",
        param: null,
        code: "unknown_url",
      },
    });
  });

  it("malformed JSON is 400 in the same shape, without a stack trace", async () => {
    const response = await fetch(`${gateway.url}/healthz`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toEqual({
      error: {
        message: "Body is not valid JSON but content-type is set to 'application/json'",
        type: "invalid_request_error",
        param: null,
        code: "invalid_json",
      },
    });
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it("refuses to register a route that does not declare its scope", async () => {
    const app = await bareGateway();
    expect(() => app.get("/v1/undeclared", async () => "x")).toThrow(/must declare config.scope/);
    await app.close();
  });
});

describe("request log", () => {
  it("writes one line per request with id, route, status and latency, and no headers", async () => {
    await fetch(`${gateway.url}/healthz`, {
      headers: { authorization: "Bearer sk-test-secret-never-logged" },
    });
    const line = gateway.logLines
      .map((l) => JSON.parse(l))
      .find((l) => l.msg === "request" && l.route === "/healthz");
    expect(line).toMatchObject({ method: "GET", status: 200, reqId: expect.stringMatching(/^req_/) });
    expect(typeof line.latencyMs).toBe("number");
    expect(gateway.logLines.join("")).not.toContain("sk-test-secret-never-logged");
  });
});
