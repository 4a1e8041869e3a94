import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { jsonOf, startTestGateway, TEST_METRICS_TOKEN } from "../testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let unconfigured: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
  unconfigured = await startTestGateway({ db: t.db, gateway: { metricsToken: null } });
});

afterAll(async () => {
  await gateway?.close();
  await unconfigured?.close();
});

const metrics = (url: string, authorization?: string) =>
  fetch(`${url}/metrics`, { headers: authorization === undefined ? {} : { authorization } });

async function expectRefused(response: Response) {
  expect(response.status).toBe(401);
  expect(response.headers.get("x-request-id")).toMatch(/^req_/);
  expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
  const body = await jsonOf(response);
  expect(body).toEqual({
    error: {
      message: expect.stringContaining("metrics token"),
      type: "invalid_request_error",
      param: null,
      code: "invalid_metrics_token",
    },
  });
  expect(JSON.stringify(body)).not.toContain("dsc_");
}

describe("GET /metrics", () => {
  it("serves the exposition to the metrics token", async () => {
    const response = await metrics(gateway.url, `Bearer ${TEST_METRICS_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toMatch(/^# TYPE dsc_rate_limiter_fallback_active gauge$/m);
  });

  it("refuses a request without the token, with a wrong one, and with another scheme, in the API's error shape", async () => {
    await expectRefused(await metrics(gateway.url));
    await expectRefused(await metrics(gateway.url, "Bearer wrong-token"));
    // the right token with one character more or less is still wrong
    await expectRefused(await metrics(gateway.url, `Bearer ${TEST_METRICS_TOKEN}x`));
    await expectRefused(await metrics(gateway.url, `Bearer ${TEST_METRICS_TOKEN.slice(0, -1)}`));
    await expectRefused(
      await metrics(gateway.url, `Basic ${Buffer.from(`x:${TEST_METRICS_TOKEN}`).toString("base64")}`),
    );
  });

  it("does not exist when no METRICS_TOKEN is configured: 404, whatever the request carries", async () => {
    for (const authorization of [undefined, `Bearer ${TEST_METRICS_TOKEN}`, "Bearer "]) {
      const response = await metrics(unconfigured.url, authorization);
      expect(response.status).toBe(404);
      expect((await jsonOf(response)).error).toMatchObject({ code: "unknown_url" });
    }
  });
});
