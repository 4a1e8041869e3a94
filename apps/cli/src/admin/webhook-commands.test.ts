import { beforeAll, describe, expect, it } from "vitest";
import { runAdminCliCaptured } from "../../../../test/support/admin-cli.ts";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";

let t: TestDatabase;
const encryptionKey = `1:${Buffer.alloc(32, 4).toString("base64")}`;

beforeAll(async () => {
  t = await createTestDatabase();
});

function cli(argv: string[], extraEnv: Record<string, string> = {}) {
  return runAdminCliCaptured(argv, {
    DATABASE_URL: t.url,
    API_KEY_PEPPER: "cli-webhook-pepper-0123456789abcdef0123",
    ENCRYPTION_KEY: encryptionKey,
    ...extraEnv,
  });
}

async function newOrg() {
  const { stdout } = await cli(["org", "create", "--name", "Hooks Inc", "--tier", "pro", "--json"]);
  return JSON.parse(stdout).id as string;
}

describe("dsc-admin webhook", () => {
  it("creates an endpoint with its secret shown once, lists, disables, enables, rotates and deletes it, audited", async () => {
    const orgId = await newOrg();
    const created = await cli(
      [
        "webhook",
        "create",
        "--org",
        orgId,
        "--url",
        "http://127.0.0.1:9/hooks",
        "--events",
        "quota.threshold_reached,credential.expiring",
        "--json",
      ],
      { WEBHOOK_ALLOW_PRIVATE: "true" },
    );
    expect(created.code).toBe(0);
    const endpoint = JSON.parse(created.stdout);
    expect(endpoint).toMatchObject({
      organizationId: orgId,
      enabled: true,
      eventTypes: ["credential.expiring", "quota.threshold_reached"],
    });
    expect(endpoint.secret).toMatch(/^whsec_/);
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(Buffer.from(row.secretCiphertext).toString("latin1")).not.toContain(endpoint.secret.slice(6, 20));

    const listed = await cli(["webhook", "list", "--org", orgId, "--json"]);
    expect(JSON.parse(listed.stdout).map((e: { id: string }) => e.id)).toEqual([endpoint.id]);
    expect(listed.stdout).not.toContain("whsec_");
    const human = await cli(["webhook", "list", "--org", orgId]);
    expect(human.stdout).toContain(endpoint.id);

    expect(JSON.parse((await cli(["webhook", "disable", endpoint.id, "--json"])).stdout)).toMatchObject({
      enabled: false,
    });
    expect(JSON.parse((await cli(["webhook", "enable", endpoint.id, "--json"])).stdout)).toMatchObject({
      enabled: true,
    });
    const rotated = await cli(["webhook", "rotate-secret", endpoint.id, "--grace", "0", "--json"]);
    expect(rotated.code).toBe(0);
    const rotatedValue = JSON.parse(rotated.stdout);
    expect(rotatedValue.secret).toMatch(/^whsec_/);
    expect(rotatedValue.secret).not.toBe(endpoint.secret);
    expect(rotatedValue.previousSecretExpiresAt).toBeNull();
    expect((await cli(["webhook", "delete", endpoint.id, "--json"])).code).toBe(0);
    expect(JSON.parse((await cli(["webhook", "list", "--org", orgId, "--json"])).stdout)).toEqual([]);

    const audits = await t.db.auditEvent.findMany({
      where: { targetId: endpoint.id },
      orderBy: { id: "asc" },
    });
    expect(audits.map((audit) => [audit.action, audit.origin])).toEqual([
      ["webhook_endpoint.create", "cli"],
      ["webhook_endpoint.disable", "cli"],
      ["webhook_endpoint.enable", "cli"],
      ["webhook_endpoint.rotate_secret", "cli"],
      ["webhook_endpoint.delete", "cli"],
    ]);
  });

  it("refuses a private address without WEBHOOK_ALLOW_PRIVATE, and a bad command line", async () => {
    const orgId = await newOrg();
    const refused = await cli([
      "webhook",
      "create",
      "--org",
      orgId,
      "--url",
      "http://127.0.0.1:9/hooks",
      "--events",
      "quota.threshold_reached",
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/private, loopback/);
    const both = await cli(["webhook", "list", "--org", orgId, "--platform"]);
    expect(both.code).toBe(2);
    const missing = await cli(["webhook", "disable", "whep_doesnotexist"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist/);
  });

  it("manages the platform's endpoints with --platform", async () => {
    const created = await cli(
      [
        "webhook",
        "create",
        "--platform",
        "--url",
        "http://127.0.0.1:9/p",
        "--events",
        "deployment.breaker_opened",
        "--json",
      ],
      { WEBHOOK_ALLOW_PRIVATE: "1" },
    );
    expect(created.code).toBe(0);
    const endpoint = JSON.parse(created.stdout);
    expect(endpoint.organizationId).toBeNull();
    const listed = JSON.parse((await cli(["webhook", "list", "--platform", "--json"])).stdout);
    expect(listed.map((e: { id: string }) => e.id)).toContain(endpoint.id);
  });
});
