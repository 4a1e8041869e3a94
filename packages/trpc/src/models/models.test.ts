import type { DeploymentHealthReader } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
const settings = {
  ownedBy: "acme",
  contextWindow: 16_384,
  inputPricePerMTokens: 0.2,
  outputPricePerMTokens: 0.6,
  routingStrategy: "WEIGHTED" as const,
};
const deployment = {
  upstreamBaseUrl: "http://127.0.0.1:9/v1",
  upstreamModel: "served-name",
  apiKeyRef: "local-vllm",
  weight: 2,
  priority: 0,
  requestsPerMinute: null,
  tokensPerMinute: null,
  connectTimeoutMs: null,
  firstByteTimeoutMs: null,
  totalTimeoutMs: null,
  healthCheckIntervalMs: null,
  isEnabled: true,
};

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("models", () => {
  it("are created, priced, given tiers, deployed, linked, retired and disabled by an admin, audited as the person", async () => {
    const admin = w.as("ADMIN");
    const created = await admin.models.create({ ...settings, id: "trpc-chat-1", tiers: ["free"] });
    expect(created).toMatchObject({ id: "trpc-chat-1", status: "enabled", tiers: ["free"] });
    await admin.models.create({ ...settings, id: "trpc-chat-2", tiers: [] });

    expect(
      (await admin.models.update({ modelId: "trpc-chat-1", outputPricePerMTokens: 0.8 }))
        .outputPricePerMTokens,
    ).toBe(0.8);
    expect((await admin.models.setTiers({ modelId: "trpc-chat-1", tiers: ["free", "pro"] })).tiers).toEqual([
      "free",
      "pro",
    ]);
    const deployed = await admin.models.addDeployment({
      ...deployment,
      modelId: "trpc-chat-1",
      healthCheckIntervalMs: 30_000,
    });
    expect(deployed.deployments[0]?.healthCheckIntervalMs).toBe(30_000);
    const deploymentId = deployed.deployments[0]?.id as string;
    expect(
      (
        await admin.models.updateDeployment({
          modelId: "trpc-chat-1",
          deploymentId,
          weight: 5,
          healthCheckIntervalMs: null,
        })
      ).deployments[0],
    ).toMatchObject({ weight: 5, healthCheckIntervalMs: null });
    expect(
      (await admin.models.setFallback({ modelId: "trpc-chat-1", fallbackModelId: "trpc-chat-2" }))
        .fallbackModelId,
    ).toBe("trpc-chat-2");
    expect((await admin.models.setAlias({ modelId: "trpc-chat-2", aliasOf: null })).aliasOf).toBeNull();
    const shutdownAt = new Date(Date.now() + 7 * 86_400_000);
    expect(
      (await admin.models.retire({ modelId: "trpc-chat-1", shutdownAt, replacementModelId: "trpc-chat-2" }))
        .status,
    ).toBe("retiring");
    expect((await admin.models.unretire({ modelId: "trpc-chat-1" })).shutdownAt).toBeNull();
    expect((await admin.models.setEnabled({ modelId: "trpc-chat-1", isEnabled: false })).status).toBe(
      "disabled",
    );
    expect(
      (await admin.models.removeDeployment({ modelId: "trpc-chat-1", deploymentId })).deployments,
    ).toEqual([]);

    const listed = await admin.models.list();
    expect(listed.map((model) => model.id)).toEqual(
      expect.arrayContaining(["deepseek-chst-1.0", "trpc-chat-1"]),
    );
    expect((await admin.models.get({ modelId: "trpc-chat-1" })).isEnabled).toBe(false);
    const actions = await t.db.auditEvent.findMany({
      where: { targetType: "model", targetId: "trpc-chat-1" },
      orderBy: { id: "asc" },
    });
    expect(new Set(actions.map((event) => event.actorId))).toEqual(new Set([w.people.ADMIN.id]));
    expect(actions.map((event) => event.action)).toEqual([
      "model.create",
      "model.update",
      "model.tiers.set",
      "model.deployment.add",
      "model.deployment.update",
      "model.fallback.set",
      "model.retire",
      "model.unretire",
      "model.disable",
      "model.deployment.remove",
    ]);
  });

  it("refuse bad input with the shared schema's sentences and domain errors with their codes", async () => {
    const admin = w.as("ADMIN");
    await expect(admin.models.create({ ...settings, id: "bad id", tiers: [] })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(
      admin.models.addDeployment({ ...deployment, modelId: "deepseek-chst-1.0", upstreamBaseUrl: "ftp://x" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      admin.models.addDeployment({
        ...deployment,
        modelId: "deepseek-chst-1.0",
        apiKeyRef: "sk-live-0123456789abcdefghij",
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("looks like a key") });
    await expect(
      admin.models.setEnabled({ modelId: "no-such-model", isEnabled: false }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(
      admin.models.create({ ...settings, id: "deepseek-chst-1.0", tiers: [] }),
    ).rejects.toMatchObject({
      code: "CONFLICT",
    });
  });

  it("are for admins only: compliance officers and developers can neither read nor change them", async () => {
    for (const role of ["COMPLIANCE", "DEVELOPER"] as const) {
      await expect(w.as(role).models.list()).rejects.toMatchObject({ code: "FORBIDDEN" });
      await expect(
        w.as(role).models.setEnabled({ modelId: "deepseek-chst-1.0", isEnabled: false }),
      ).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    expect((await t.db.model.findUniqueOrThrow({ where: { id: "deepseek-chst-1.0" } })).isEnabled).toBe(true);
  });

  it("read the gateway's breakers through the dashboard's reader, or null without one", async () => {
    expect(await w.as("ADMIN").models.deploymentHealth()).toBeNull();
    const reading = {
      isKnown: true as const,
      checkedAt: new Date(),
      deployments: [
        { deploymentId: "dep_x", state: "open" as const, coolingUntil: null, consecutiveFailures: 5 },
      ],
    };
    const reader: DeploymentHealthReader = { read: async () => reading };
    expect(await w.caller(w.people.ADMIN, { deploymentHealth: reader }).models.deploymentHealth()).toEqual(
      reading,
    );
  });
});
