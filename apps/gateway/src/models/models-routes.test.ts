import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
  const pro = await t.db.tier.findUniqueOrThrow({ where: { slug: "pro" } });
  await t.db.model.createMany({
    data: [
      { id: "pro-only-1", provider: "LOCAL", createdAt: new Date("2026-01-01T00:00:00Z") },
      { id: "retiring-1", provider: "LOCAL", shutdownAt: new Date("2099-06-30T00:00:00Z") },
      { id: "retired-1", provider: "LOCAL", shutdownAt: new Date("2020-01-01T00:00:00Z") },
      { id: "disabled-1", provider: "LOCAL", isEnabled: false },
    ],
  });
  for (const id of ["pro-only-1", "retiring-1", "retired-1", "disabled-1"]) {
    await t.db.model.update({ where: { id }, data: { tiers: { connect: { id: pro.id } } } });
  }
});
afterAll(() => gateway.close());

const client = (apiKey: string) => new OpenAI({ apiKey, baseURL: `${gateway.url}/v1`, maxRetries: 0 });

describe("GET /v1/models", () => {
  it("lists the models the caller's tier may use, in OpenAI's shape", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "free" });
    const page = await client(secret).models.list();
    expect(page.data).toEqual([
      {
        id: "deepseek-chst-1.0",
        object: "model",
        created: expect.any(Number),
        owned_by: "deepseek-chat-platform",
      },
    ]);
  });

  it("adds tier-specific models and marks a model scheduled for retirement", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const page = await client(secret).models.list();
    expect(page.data.map((m) => m.id)).toEqual(["deepseek-chst-1.0", "pro-only-1", "retiring-1"]);
    expect(page.data.find((m) => m.id === "retiring-1")).toMatchObject({ shutdown_date: "2099-06-30" });
    expect(page.data.find((m) => m.id === "pro-only-1")).not.toHaveProperty("shutdown_date");
  });

  it("takes a tier change into account as soon as the database announces it", async () => {
    const { org, secret } = await createOrgWithKey(t.db, { tier: "free" });
    expect((await client(secret).models.list()).data).toHaveLength(1);
    const pro = await t.db.tier.findUniqueOrThrow({ where: { slug: "pro" } });
    await t.db.organization.update({ where: { id: org.id }, data: { tierId: pro.id } });
    await gateway.organizationChangesApplied();
    expect((await client(secret).models.list()).data).toHaveLength(3);
  });
});

describe("GET /v1/models/{model}", () => {
  it("returns one model object", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    expect(await client(secret).models.retrieve("retiring-1")).toMatchObject({
      id: "retiring-1",
      object: "model",
      shutdown_date: "2099-06-30",
    });
  });

  it("is 404 model_not_found for unknown, retired, disabled and other tiers' models", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "free" });
    for (const id of ["nope", "retired-1", "disabled-1", "pro-only-1"]) {
      const error = await client(secret)
        .models.retrieve(id)
        .catch((e) => e);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.code).toBe("model_not_found");
      expect(error.param).toBe("model");
    }
  });
});
