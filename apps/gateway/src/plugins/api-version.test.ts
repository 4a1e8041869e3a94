import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock } from "../../../../test/support/database.ts";
import { jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date("2026-12-01T00:00:00Z"));

beforeAll(async () => {
  gateway = await startTestGateway({ db: (await createTestDatabase()).db, clock });
});
afterAll(() => gateway.close());

const get = (version?: string) =>
  fetch(`${gateway.url}/v1/versions`, { headers: version ? { "x-api-version": version } : {} });

describe("API versions", () => {
  it("serves the current version and says so on every response", async () => {
    const response = await get();
    expect(response.status).toBe(200);
    expect(response.headers.get("x-api-version")).toBe("1.2");
    expect(response.headers.get("deprecation")).toBeNull();
    const notFound = await fetch(`${gateway.url}/v1/unknown`);
    expect(notFound.headers.get("x-api-version")).toBe("1.2");
    expect((await jsonOf(response)).current).toBe("1.2");
  });

  it("serves a deprecated version with Deprecation, Sunset and Link headers", async () => {
    const response = await get("1.1");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-api-version")).toBe("1.1");
    expect(response.headers.get("deprecation")).toBe(`@${Date.parse("2026-11-01T00:00:00Z") / 1000}`);
    expect(response.headers.get("sunset")).toBe("Sat, 01 May 2027 00:00:00 GMT");
    expect(response.headers.get("link")).toBe('</v1/versions>; rel="deprecation"; type="application/json"');
  });

  it("refuses unknown and sunset versions with 400 unsupported_api_version", async () => {
    for (const version of ["0.9", "1.0", "banana"]) {
      const response = await get(version);
      expect(response.status).toBe(400);
      expect((await jsonOf(response)).error).toMatchObject({
        type: "invalid_request_error",
        code: "unsupported_api_version",
        param: "x-api-version",
      });
    }
  });

  it("refuses a version once its sunset has passed", async () => {
    clock.set(new Date("2027-05-01T00:00:00Z"));
    expect((await get("1.1")).status).toBe(400);
    clock.set(new Date("2026-12-01T00:00:00Z"));
  });
});
