import { beforeAll, describe, expect, it } from "vitest";
import { runAdminCliCaptured } from "../../../../test/support/admin-cli.ts";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";

let t: TestDatabase;
const pepper = "cli-test-pepper-0123456789abcdef0123";

beforeAll(async () => {
  t = await createTestDatabase();
});

function cli(...argv: string[]) {
  return runAdminCliCaptured(argv, { DATABASE_URL: t.url, API_KEY_PEPPER: pepper });
}

async function json(...argv: string[]) {
  const result = await cli(...argv, "--json");
  expect(result, result.stderr).toMatchObject({ code: 0 });
  return JSON.parse(result.stdout);
}

describe("dsc-admin model", () => {
  it("creates a model, prices it, gives it tiers and deployments, links, retires and disables it, as JSON", async () => {
    const created = await json(
      "model",
      "create",
      "cli-chat-1",
      "--context-window",
      "32768",
      "--input-price",
      "0.27",
      "--output-price",
      "1.1",
      "--tiers",
      "free",
    );
    expect(created).toMatchObject({
      id: "cli-chat-1",
      status: "enabled",
      inputPricePerMTokens: 0.27,
      outputPricePerMTokens: 1.1,
      tiers: ["free"],
      deployments: [],
    });
    await json(
      "model",
      "create",
      "cli-chat-0",
      "--context-window",
      "8192",
      "--input-price",
      "0",
      "--output-price",
      "0",
    );

    const updated = await json(
      "model",
      "update",
      "cli-chat-1",
      "--output-price",
      "1.5",
      "--tiers",
      "free,pro",
    );
    expect(updated).toMatchObject({ outputPricePerMTokens: 1.5, tiers: ["free", "pro"] });

    const deployed = await json(
      "model",
      "deployment",
      "add",
      "cli-chat-1",
      "--base-url",
      "http://127.0.0.1:9/v1",
      "--upstream-model",
      "served/chat",
      "--key-ref",
      "vllm-east",
      "--weight",
      "3",
      "--rpm",
      "600",
      "--health-check-interval-ms",
      "15000",
    );
    const [deployment] = deployed.deployments;
    expect(deployment).toMatchObject({
      upstreamBaseUrl: "http://127.0.0.1:9/v1",
      apiKeyRef: "vllm-east",
      weight: 3,
      requestsPerMinute: 600,
      healthCheckIntervalMs: 15_000,
      isEnabled: true,
    });
    const changed = await json(
      "model",
      "deployment",
      "update",
      "cli-chat-1",
      "--deployment",
      deployment.id,
      "--rpm",
      "none",
      "--health-check-interval-ms",
      "none",
      "--enabled",
      "off",
    );
    expect(changed.deployments[0]).toMatchObject({
      requestsPerMinute: null,
      healthCheckIntervalMs: null,
      isEnabled: false,
    });

    expect(await json("model", "fallback", "cli-chat-1", "--to", "cli-chat-0")).toMatchObject({
      fallbackModelId: "cli-chat-0",
    });
    expect(await json("model", "alias", "cli-chat-0", "--of", "deepseek-chst-1.0")).toMatchObject({
      aliasOf: "deepseek-chst-1.0",
    });
    expect(await json("model", "alias", "cli-chat-0", "--none")).toMatchObject({ aliasOf: null });

    const retired = await json(
      "model",
      "retire",
      "cli-chat-1",
      "--shutdown-at",
      "2999-01-01",
      "--replacement",
      "cli-chat-0",
    );
    expect(retired).toMatchObject({ status: "retiring", replacementModelId: "cli-chat-0" });
    expect(retired.shutdownAt).toBe("2999-01-01T00:00:00.000Z");
    expect(await json("model", "unretire", "cli-chat-1")).toMatchObject({ shutdownAt: null });
    expect(await json("model", "disable", "cli-chat-1")).toMatchObject({ status: "disabled" });
    expect(await json("model", "enable", "cli-chat-1")).toMatchObject({ status: "enabled" });
    const removed = await json("model", "deployment", "remove", "cli-chat-1", "--deployment", deployment.id);
    expect(removed.deployments).toEqual([]);

    const listed = await json("model", "list");
    expect(listed.map((model: { id: string }) => model.id)).toEqual(
      expect.arrayContaining(["cli-chat-0", "cli-chat-1", "deepseek-chst-1.0"]),
    );
    const audits = await t.db.auditEvent.findMany({
      where: { targetType: "model", targetId: "cli-chat-1" },
      orderBy: { id: "asc" },
    });
    expect(new Set(audits.map((event) => `${event.actorType} ${event.actorId} ${event.origin}`))).toEqual(
      new Set(["SYSTEM dsc-admin cli"]),
    );
    expect(audits.map((event) => event.action)).toEqual([
      "model.create",
      "model.update",
      "model.tiers.set",
      "model.deployment.add",
      "model.deployment.update",
      "model.fallback.set",
      "model.retire",
      "model.unretire",
      "model.disable",
      "model.enable",
      "model.deployment.remove",
    ]);
  });

  it("prints a model and the catalogue for people", async () => {
    const shown = await cli("model", "show", "deepseek-chst-1.0");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain("model deepseek-chst-1.0 (enabled)");
    expect(shown.stdout).toContain("(default upstream)");
    const list = await cli("model", "list");
    expect(list.stdout).toMatch(/^ID +STATUS +IN \$\/M/);
    expect(list.stdout).toMatch(/^deepseek-chst-1\.0 +enabled /m);
  });

  it("refuses bad arguments with exit 2 before the database, and domain refusals with their sentence", async () => {
    const noPrice = await cli("model", "create", "x1", "--context-window", "10", "--input-price", "1");
    expect(noPrice).toMatchObject({ code: 2 });
    expect(noPrice.stderr).toContain("--output-price is required");
    const badPrice = await cli("model", "update", "deepseek-chst-1.0", "--input-price", "cheap");
    expect(badPrice.code).toBe(2);
    expect(badPrice.stderr).toContain("--input-price must be US dollars per million tokens");
    expect((await cli("model", "alias", "deepseek-chst-1.0")).stderr).toContain(
      "give either --of MODEL_ID or --none",
    );
    const keyPasted = await cli(
      "model",
      "deployment",
      "add",
      "deepseek-chst-1.0",
      "--key-ref",
      "sk-abcdefghijklmnop0123456789",
    );
    expect(keyPasted.code).toBe(2);
    expect(keyPasted.stderr).toContain("That looks like a key itself.");
    expect(keyPasted.stderr).not.toContain("abcdefghijklmnop0123456789");
    const past = await cli("model", "retire", "deepseek-chst-1.0", "--shutdown-at", "2001-01-01", "--json");
    expect(past.code).toBe(2);
    expect(JSON.parse(past.stdout)).toEqual({
      error: { message: "The shutdown date must be in the future." },
    });
    const missing = await cli("model", "disable", "no-such-model");
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain("There is no model `no-such-model`.");
    expect(
      (await t.db.model.findUniqueOrThrow({ where: { id: "deepseek-chst-1.0" } })).shutdownAt,
    ).toBeNull();
  });
});
