import { DEFAULT_MODEL_ID } from "@dsc/db";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("gettingStarted.model", () => {
  it("names a model the member's organization may call, and the built-in one for admins", async () => {
    for (const role of ["OWNER", "DEVELOPER", "VIEWER", "ADMIN"] as const) {
      expect(await w.as(role).gettingStarted.model()).toEqual({ model: DEFAULT_MODEL_ID });
    }
  });

  it("is refused to compliance officers and to callers not signed in", async () => {
    await expect(w.as("COMPLIANCE").gettingStarted.model()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(w.caller(null).gettingStarted.model()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
