import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { Actor } from "../audit/actor.ts";
import { addModelDeployment } from "./add-model-deployment.ts";
import { createModel } from "./create-model.ts";
import { getModel } from "./get-model.ts";
import { listModels } from "./list-models.ts";
import { removeModelDeployment } from "./remove-model-deployment.ts";
import { retireModel, unretireModel } from "./retire-model.ts";
import { setModelAlias } from "./set-model-alias.ts";
import { setModelEnabled } from "./set-model-enabled.ts";
import { setModelFallback } from "./set-model-fallback.ts";
import { setModelTiers } from "./set-model-tiers.ts";
import { updateModel } from "./update-model.ts";
import { updateModelDeployment } from "./update-model-deployment.ts";

let t: TestDatabase;
const clock = fakeClock(new Date("2026-06-01T12:00:00Z"));
const deps = () => ({ db: t.db, clock });
const actor: Actor = { type: "USER", id: "usr_admin", origin: "203.0.113.9" };
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase();
});

/** A new model with a unique id, on the free tier. */
let serial = 0;
async function newModel(extra: Partial<Parameters<typeof createModel>[1]> = {}) {
  serial += 1;
  return createModel(deps(), {
    id: `test-model-${serial}`,
    contextWindow: 32_768,
    inputPricePerMTokens: 0.5,
    outputPricePerMTokens: 1.25,
    tiers: ["free"],
    actor,
    ...extra,
  });
}

async function auditOf(modelId: string, action: string) {
  return t.db.auditEvent.findMany({ where: { targetType: "model", targetId: modelId, action } });
}

describe("listing and creating models", () => {
  it("lists the seeded model with its deployment, tiers and status", async () => {
    const models = await listModels(deps());
    const seeded = models.find((model) => model.id === "deepseek-chst-1.0");
    expect(seeded).toMatchObject({ status: "enabled", aliasOf: null, fallbackModelId: null });
    expect(seeded?.tiers).toEqual(expect.arrayContaining(["free", "pro"]));
    expect(seeded?.deployments).toHaveLength(1);
    expect(seeded?.deployments[0]).toMatchObject({ upstreamBaseUrl: null, weight: 1, priority: 0 });
  });

  it("creates a model with prices, context window and tiers, audited", async () => {
    const model = await newModel({ id: "acme-chat-2", tiers: ["pro", "free", "pro"] });
    expect(model).toMatchObject({
      id: "acme-chat-2",
      provider: "OPENAI_COMPATIBLE",
      contextWindow: 32_768,
      inputPricePerMTokens: 0.5,
      outputPricePerMTokens: 1.25,
      tiers: ["free", "pro"],
      status: "enabled",
      deployments: [],
    });
    const [audit] = await auditOf("acme-chat-2", "model.create");
    expect(audit).toMatchObject({ actorId: "usr_admin", origin: "203.0.113.9" });
    expect(audit?.metadata).toMatchObject({ tiers: ["free", "pro"], inputPricePerMTokens: 0.5 });
  });

  it("refuses a taken id, a bad id, an unknown tier and bad prices with sentences", async () => {
    await expect(newModel({ id: "deepseek-chst-1.0" })).rejects.toMatchObject({
      code: "conflict",
      param: "id",
      message: "A model `deepseek-chst-1.0` already exists.",
    });
    await expect(newModel({ id: "has space" })).rejects.toMatchObject({ code: "invalid", param: "id" });
    await expect(newModel({ id: "a/b" })).rejects.toMatchObject({ code: "invalid", param: "id" });
    await expect(newModel({ tiers: ["gold"] })).rejects.toMatchObject({
      code: "invalid",
      param: "tiers",
      message: 'There is no tier "gold".',
    });
    await expect(newModel({ inputPricePerMTokens: -1 })).rejects.toMatchObject({
      param: "inputPricePerMTokens",
    });
    await expect(newModel({ outputPricePerMTokens: 0.1234567 })).rejects.toMatchObject({
      message: "A price has at most 6 decimals.",
    });
    await expect(newModel({ contextWindow: 0 })).rejects.toMatchObject({ param: "contextWindow" });
  });
});

describe("changing a model", () => {
  it("updates prices and context window, auditing only what changed", async () => {
    const model = await newModel();
    const updated = await updateModel(deps(), {
      modelId: model.id,
      inputPricePerMTokens: 0.75,
      contextWindow: 65_536,
      outputPricePerMTokens: 1.25,
      actor,
    });
    expect(updated).toMatchObject({ inputPricePerMTokens: 0.75, contextWindow: 65_536 });
    const row = await t.db.model.findUniqueOrThrow({ where: { id: model.id } });
    expect(row.inputPricePerMTokens.toString()).toBe("0.75");
    const [audit] = await auditOf(model.id, "model.update");
    expect(audit?.metadata).toEqual({
      from: { contextWindow: 32_768, inputPricePerMTokens: 0.5 },
      to: { contextWindow: 65_536, inputPricePerMTokens: 0.75 },
    });
    await expect(
      updateModel(deps(), { modelId: "no-such-model", contextWindow: 1, actor }),
    ).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("sets the tiers that may call it, exactly", async () => {
    const model = await newModel();
    expect((await setModelTiers(deps(), { modelId: model.id, tiers: ["pro"], actor })).tiers).toEqual([
      "pro",
    ]);
    expect((await setModelTiers(deps(), { modelId: model.id, tiers: [], actor })).tiers).toEqual([]);
    const audits = await auditOf(model.id, "model.tiers.set");
    expect(audits.map((audit) => audit.metadata)).toEqual([
      { from: ["free"], to: ["pro"] },
      { from: ["pro"], to: [] },
    ]);
  });

  it("disables and enables, each audited", async () => {
    const model = await newModel();
    expect((await setModelEnabled(deps(), { modelId: model.id, isEnabled: false, actor })).status).toBe(
      "disabled",
    );
    expect((await setModelEnabled(deps(), { modelId: model.id, isEnabled: true, actor })).status).toBe(
      "enabled",
    );
    expect(await auditOf(model.id, "model.disable")).toHaveLength(1);
    expect(await auditOf(model.id, "model.enable")).toHaveLength(1);
  });

  it("retires with a future date and a replacement, reads as shut down after it, and un-retires", async () => {
    const model = await newModel();
    const replacement = await newModel();
    const shutdownAt = new Date(clock.now().getTime() + 30 * DAY);
    const retiring = await retireModel(deps(), {
      modelId: model.id,
      shutdownAt,
      replacementModelId: replacement.id,
      actor,
    });
    expect(retiring).toMatchObject({ status: "retiring", shutdownAt, replacementModelId: replacement.id });
    // the day of the announcement is kept (the Deprecation header's date), and a later date keeps it
    const announcedAt = clock.now();
    expect((await t.db.model.findUniqueOrThrow({ where: { id: model.id } })).retiredAt).toEqual(announcedAt);
    await retireModel(
      { db: t.db, clock: fakeClock(new Date(announcedAt.getTime() + DAY)) },
      { modelId: model.id, shutdownAt: new Date(shutdownAt.getTime() + DAY), actor },
    );
    expect((await t.db.model.findUniqueOrThrow({ where: { id: model.id } })).retiredAt).toEqual(announcedAt);
    await retireModel(deps(), { modelId: model.id, shutdownAt, replacementModelId: replacement.id, actor });
    const later = fakeClock(new Date(shutdownAt.getTime() + 1));
    expect((await getModel({ db: t.db, clock: later }, { modelId: model.id })).status).toBe("shut_down");
    const back = await unretireModel(deps(), { modelId: model.id, actor });
    expect(back).toMatchObject({ status: "enabled", shutdownAt: null, replacementModelId: null });
    expect((await t.db.model.findUniqueOrThrow({ where: { id: model.id } })).retiredAt).toBeNull();
    expect(await auditOf(model.id, "model.retire")).toHaveLength(3);
    expect(await auditOf(model.id, "model.unretire")).toHaveLength(1);
  });

  it("refuses a shutdown date that is not in the future, and a replacement that is itself or missing", async () => {
    const model = await newModel();
    await expect(
      retireModel(deps(), { modelId: model.id, shutdownAt: clock.now(), actor }),
    ).rejects.toMatchObject({
      code: "invalid",
      param: "shutdownAt",
      message: "The shutdown date must be in the future.",
    });
    const shutdownAt = new Date(clock.now().getTime() + DAY);
    await expect(
      retireModel(deps(), { modelId: model.id, shutdownAt, replacementModelId: model.id, actor }),
    ).rejects.toMatchObject({ param: "replacementModelId", message: "A model cannot replace itself." });
    await expect(
      retireModel(deps(), { modelId: model.id, shutdownAt, replacementModelId: "nope", actor }),
    ).rejects.toMatchObject({ param: "replacementModelId" });
    expect((await getModel(deps(), { modelId: model.id })).shutdownAt).toBeNull();
    expect(await auditOf(model.id, "model.retire")).toHaveLength(0);
  });
});

describe("deployments", () => {
  it("are added, updated and removed, each audited with the key's name and never a key", async () => {
    const model = await newModel();
    const added = await addModelDeployment(deps(), {
      modelId: model.id,
      upstreamBaseUrl: "https://vllm-1.internal:8000/v1/",
      upstreamModel: "acme/chat-2",
      apiKeyRef: "vllm-east",
      weight: 3,
      priority: 1,
      requestsPerMinute: 600,
      actor,
    });
    const [deployment] = added.deployments;
    expect(deployment).toMatchObject({
      upstreamBaseUrl: "https://vllm-1.internal:8000/v1",
      upstreamModel: "acme/chat-2",
      apiKeyRef: "vllm-east",
      weight: 3,
      priority: 1,
      requestsPerMinute: 600,
      tokensPerMinute: null,
      isEnabled: true,
    });
    expect(deployment?.id).toMatch(/^dep_/);
    const id = deployment?.id as string;

    const updated = await updateModelDeployment(deps(), {
      modelId: model.id,
      deploymentId: id,
      weight: 0,
      isEnabled: false,
      requestsPerMinute: null,
      actor,
    });
    expect(updated.deployments[0]).toMatchObject({ weight: 0, isEnabled: false, requestsPerMinute: null });
    const [update] = await auditOf(model.id, "model.deployment.update");
    expect(update?.metadata).toEqual({
      deploymentId: id,
      from: { weight: 3, isEnabled: true, requestsPerMinute: 600 },
      to: { weight: 0, isEnabled: false, requestsPerMinute: null },
    });
    const checked = await updateModelDeployment(deps(), {
      modelId: model.id,
      deploymentId: id,
      healthCheckIntervalMs: 10_000,
      actor,
    });
    expect(checked.deployments[0]?.healthCheckIntervalMs).toBe(10_000);

    expect(
      (await removeModelDeployment(deps(), { modelId: model.id, deploymentId: id, actor })).deployments,
    ).toEqual([]);
    const [add] = await auditOf(model.id, "model.deployment.add");
    expect(add?.metadata).toMatchObject({ deploymentId: id, to: { apiKeyRef: "vllm-east" } });
    expect(await auditOf(model.id, "model.deployment.remove")).toHaveLength(1);
  });

  it("refuse addresses that are not http(s) or hold credentials, keys in place of names, and bad numbers", async () => {
    const model = await newModel();
    const add = (settings: Partial<Parameters<typeof addModelDeployment>[1]>) =>
      addModelDeployment(deps(), { modelId: model.id, actor, ...settings });
    await expect(add({ upstreamBaseUrl: "ftp://host/v1" })).rejects.toMatchObject({
      code: "invalid",
      param: "upstreamBaseUrl",
      message: "The base URL must be an http:// or https:// address.",
    });
    await expect(add({ upstreamBaseUrl: "not a url" })).rejects.toMatchObject({ param: "upstreamBaseUrl" });
    await expect(add({ upstreamBaseUrl: "https://user:secret@host/v1" })).rejects.toMatchObject({
      param: "upstreamBaseUrl",
    });
    await expect(add({ apiKeyRef: "sk-proj-0123456789abcdefghijKLMNOP" })).rejects.toMatchObject({
      param: "apiKeyRef",
      message: "That looks like a key itself. Put the key in UPSTREAM_API_KEYS and give its name here.",
    });
    await expect(add({ apiKeyRef: "has space" })).rejects.toMatchObject({ param: "apiKeyRef" });
    await expect(add({ weight: -1 })).rejects.toMatchObject({ param: "weight" });
    await expect(add({ priority: -1 })).rejects.toMatchObject({ param: "priority" });
    await expect(add({ weight: 1.5 })).rejects.toMatchObject({ param: "weight" });
    await expect(add({ totalTimeoutMs: 0 })).rejects.toMatchObject({ param: "totalTimeoutMs" });
    // active checks more often than once a second would be load, not checks
    await expect(add({ healthCheckIntervalMs: 500 })).rejects.toMatchObject({
      param: "healthCheckIntervalMs",
    });
    expect(await t.db.modelDeployment.count({ where: { modelId: model.id } })).toBe(0);
  });

  it("of another model are not found through this one", async () => {
    const one = await newModel();
    const other = await newModel();
    const withDeployment = await addModelDeployment(deps(), { modelId: other.id, actor });
    const deploymentId = withDeployment.deployments[0]?.id as string;
    await expect(
      removeModelDeployment(deps(), { modelId: one.id, deploymentId, actor }),
    ).rejects.toMatchObject({ code: "not_found", param: "deploymentId" });
    expect(await t.db.modelDeployment.count({ where: { id: deploymentId } })).toBe(1);
  });
});

describe("aliases and fallbacks", () => {
  it("make a model another name of one, listed on both sides, and undo it", async () => {
    const target = await newModel();
    const alias = await newModel();
    expect((await setModelAlias(deps(), { modelId: alias.id, aliasOf: target.id, actor })).aliasOf).toBe(
      target.id,
    );
    expect((await getModel(deps(), { modelId: target.id })).aliases).toEqual([alias.id]);
    expect((await setModelAlias(deps(), { modelId: alias.id, aliasOf: null, actor })).aliasOf).toBeNull();
    expect((await auditOf(alias.id, "model.alias.set")).map((audit) => audit.metadata)).toEqual([
      { from: null, to: target.id },
      { from: target.id, to: null },
    ]);
  });

  it("refuse an alias of itself, of an alias, of a missing model, and aliases of a model with aliases", async () => {
    const target = await newModel();
    const alias = await newModel();
    const third = await newModel();
    await setModelAlias(deps(), { modelId: alias.id, aliasOf: target.id, actor });
    await expect(
      setModelAlias(deps(), { modelId: third.id, aliasOf: third.id, actor }),
    ).rejects.toMatchObject({
      message: "A model cannot be an alias of itself.",
    });
    await expect(
      setModelAlias(deps(), { modelId: third.id, aliasOf: alias.id, actor }),
    ).rejects.toMatchObject({
      code: "invalid",
      message: `\`${alias.id}\` is itself an alias of \`${target.id}\`: name \`${target.id}\` instead.`,
    });
    await expect(
      setModelAlias(deps(), { modelId: target.id, aliasOf: third.id, actor }),
    ).rejects.toMatchObject({
      message: `\`${target.id}\` has aliases (${alias.id}): an alias cannot have aliases of its own.`,
    });
    await expect(
      setModelAlias(deps(), { modelId: third.id, aliasOf: "missing", actor }),
    ).rejects.toMatchObject({
      param: "aliasOf",
    });
    await expect(addModelDeployment(deps(), { modelId: alias.id, actor })).rejects.toMatchObject({
      param: "modelId",
    });
  });

  it("name a fallback that exists and differs, and refuse a loop through fallbacks and aliases", async () => {
    const a = await newModel();
    const b = await newModel();
    const c = await newModel();
    expect(
      (await setModelFallback(deps(), { modelId: a.id, fallbackModelId: b.id, actor })).fallbackModelId,
    ).toBe(b.id);
    await setModelFallback(deps(), { modelId: b.id, fallbackModelId: c.id, actor });
    await expect(
      setModelFallback(deps(), { modelId: c.id, fallbackModelId: a.id, actor }),
    ).rejects.toMatchObject({
      code: "invalid",
      param: "fallbackModelId",
      message: `That would make a loop of aliases and fallbacks: ${c.id} → ${a.id} → ${b.id} → ${c.id}.`,
    });
    await expect(
      setModelFallback(deps(), { modelId: c.id, fallbackModelId: c.id, actor }),
    ).rejects.toMatchObject({
      message: "A model cannot be its own fallback.",
    });
    await expect(
      setModelFallback(deps(), { modelId: c.id, fallbackModelId: "missing", actor }),
    ).rejects.toMatchObject({
      param: "fallbackModelId",
    });
    // an alias closes a loop as surely: a → b → c, and c another name of a
    await expect(setModelAlias(deps(), { modelId: c.id, aliasOf: a.id, actor })).rejects.toMatchObject({
      param: "aliasOf",
    });
    expect((await getModel(deps(), { modelId: c.id })).aliasOf).toBeNull();
    expect(
      (await setModelFallback(deps(), { modelId: a.id, fallbackModelId: null, actor })).fallbackModelId,
    ).toBeNull();
    expect(await auditOf(a.id, "model.fallback.set")).toHaveLength(2);
  });

  it("two concurrent changes cannot close a loop that neither closes alone", async () => {
    const a = await newModel();
    const b = await newModel();
    const outcomes = await Promise.allSettled([
      setModelFallback(deps(), { modelId: a.id, fallbackModelId: b.id, actor }),
      setModelFallback(deps(), { modelId: b.id, fallbackModelId: a.id, actor }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["fulfilled", "rejected"]);
  });
});
