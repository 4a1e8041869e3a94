import { OPERATIONS } from "@dsc/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase } from "../../../../test/support/database.ts";
import { startTestGateway } from "../testing/start-test-gateway.ts";
import { routeUrlOf } from "./serve-operation.ts";

let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  // the test gateway serves everything there is: OAuth, files and /metrics included
  gateway = await startTestGateway({ db: (await createTestDatabase()).db });
});
afterAll(() => gateway.close());

describe("the gateway's routes", () => {
  it("each serve an operation, with its method, path and scope", () => {
    // routeScopes is filled by buildGateway's onRoute hook, for every route registered
    const routes = gateway.app.routeScopes;
    const unserved = routes.filter((route) => route.operationId === null);
    expect(unserved).toEqual([]);
    for (const route of routes) {
      const operation = OPERATIONS.find((o) => o.id === route.operationId);
      expect({ method: route.method, url: route.url, scope: route.scope }, String(route.operationId)).toEqual(
        {
          method: operation?.method,
          url: operation && routeUrlOf(operation),
          scope: operation?.scope,
        },
      );
    }
  });

  it("serve every operation exactly once", () => {
    const served = gateway.app.routeScopes.map((route) => route.operationId).filter((id) => id !== null);
    const expected = OPERATIONS.map((o) => o.id);
    expect(served.sort()).toEqual(expected.sort());
  });
});
