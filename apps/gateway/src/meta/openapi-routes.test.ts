import type { OpenApiDocument } from "@dsc/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/database.ts";
import { jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  gateway = await startTestGateway({ db: (await createTestDatabase()).db });
});
afterAll(() => gateway.close());

describe("GET /v1/openapi.json", () => {
  it("serves the OpenAPI 3.1 document without credentials", async () => {
    const response = await fetch(`${gateway.url}/v1/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const document = await jsonOf<OpenApiDocument>(response);
    expect(document.openapi).toBe("3.1.0");
    expect(document.info.version).toBe("1.2");
  });

  it("documents every route the gateway serves, with the scope the route enforces", async () => {
    const document = await jsonOf<OpenApiDocument>(await fetch(`${gateway.url}/v1/openapi.json`));
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.entries(operations as Record<string, { "x-scope": string }>).map(
        ([method, operation]) => `${method.toUpperCase()} ${path} ${operation["x-scope"]}`,
      ),
    );
    const served = gateway.app.routeScopes.map(
      (route) => `${route.method} ${route.url.replace(/:(\w+)/g, "{$1}")} ${route.scope}`,
    );
    expect(served.sort()).toEqual(documented.sort());
  });
});
