import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../../test/support/database.ts";
import { newId } from "../../ids/public-id.ts";
import { listActiveCheckTargets } from "./list-active-check-targets.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});

const upstreamKeys = new Map([
  ["vllm-key", "sk-named"],
  ["http://10.0.0.7:8000", "sk-origin"],
]);

/** A model with one deployment; returns the deployment's id. */
async function deployment(
  fields: {
    upstreamBaseUrl?: string | null;
    apiKeyRef?: string | null;
    healthCheckIntervalMs?: number | null;
  } & {
    isEnabled?: boolean;
    firstByteTimeoutMs?: number | null;
  },
  model: { provider?: "LOCAL" | "OPENAI_COMPATIBLE"; isEnabled?: boolean } = {},
): Promise<string> {
  const id = newId("deployment");
  await t.db.model.create({
    data: {
      id: `checked-${randomBytes(4).toString("hex")}`,
      provider: model.provider ?? "OPENAI_COMPATIBLE",
      isEnabled: model.isEnabled ?? true,
      deployments: {
        create: [
          { id, upstreamBaseUrl: "http://10.0.0.7:8000/v1", healthCheckIntervalMs: 15_000, ...fields },
        ],
      },
    },
  });
  return id;
}

describe("listActiveCheckTargets", () => {
  it("lists the enabled deployments that ask for checks, with the key their requests use", async () => {
    const named = await deployment({ apiKeyRef: "vllm-key", healthCheckIntervalMs: 15_000 });
    const byOrigin = await deployment({ healthCheckIntervalMs: 500, firstByteTimeoutMs: 2_000 });
    const unknownName = await deployment({ apiKeyRef: "not-configured" });
    const otherHost = await deployment({ upstreamBaseUrl: "https://elsewhere.test/v1" });
    const onDefault = await deployment({ upstreamBaseUrl: null, healthCheckIntervalMs: 60_000 });
    const leftOut = [
      await deployment({ healthCheckIntervalMs: null }),
      await deployment({ isEnabled: false }),
      await deployment({}, { isEnabled: false }),
      await deployment({}, { provider: "LOCAL" }),
    ];

    const targets = await listActiveCheckTargets(
      { db: t.db },
      {
        defaultUpstream: { baseUrl: "https://default.test/v1", apiKey: "sk-default", model: null },
        upstreamKeys,
      },
    );
    const byId = new Map(targets.map((target) => [target.deploymentId, target]));
    expect(leftOut.filter((id) => byId.has(id))).toEqual([]);
    expect(byId.get(named)).toEqual({
      deploymentId: named,
      baseUrl: "http://10.0.0.7:8000/v1",
      apiKey: "sk-named",
      intervalMs: 15_000,
      timeoutMs: 10_000,
    });
    // never more often than every second; never waiting past the deployment's first-byte timeout
    expect(byId.get(byOrigin)).toMatchObject({ apiKey: "sk-origin", intervalMs: 1_000, timeoutMs: 1_000 });
    // a key name that is not configured sends no key, not the origin's
    expect(byId.get(unknownName)?.apiKey).toBeNull();
    // a key goes to its own origin only
    expect(byId.get(otherHost)?.apiKey).toBeNull();
    expect(byId.get(onDefault)).toMatchObject({ baseUrl: "https://default.test/v1", apiKey: "sk-default" });
  });

  it("leaves out a deployment without a base URL when no default upstream is configured (the built-in model)", async () => {
    const local = await deployment({ upstreamBaseUrl: null });
    const targets = await listActiveCheckTargets({ db: t.db }, { defaultUpstream: null, upstreamKeys });
    expect(targets.map((target) => target.deploymentId)).not.toContain(local);
  });
});
