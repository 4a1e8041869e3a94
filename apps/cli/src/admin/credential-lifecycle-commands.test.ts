import { createSigningKeyRing, hashApiKeySecret, verifyApiKey, verifyClientSecret } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { runAdminCliCaptured } from "../../../../test/support/admin-cli.ts";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { runAdminCli } from "./run-admin-cli.ts";

let t: TestDatabase;
const pepper = "cli-oauth-pepper-0123456789abcdef0123";
const signingSecret = "cli-oauth-signing-secret-0123456789ab";

beforeAll(async () => {
  t = await createTestDatabase();
});

function cli(...argv: string[]) {
  return runAdminCliCaptured(argv, {
    DATABASE_URL: t.url,
    API_KEY_PEPPER: pepper,
    SIGNING_KEY_SECRET: signingSecret,
  });
}

async function newOrg() {
  const { stdout } = await cli("org", "create", "--name", "Hooli", "--tier", "pro", "--json");
  return JSON.parse(stdout).id as string;
}

const platform = () => ({ db: t.db, clock: { now: () => new Date() }, pepper });

describe("dsc-admin oauth-client", () => {
  it("creates a client and prints client_id and client_secret once; lists and revokes it", async () => {
    const orgId = await newOrg();
    const created = await cli(
      "oauth-client",
      "create",
      "--org",
      orgId,
      "--scopes",
      "chat,models:read",
      "--name",
      "etl",
      "--json",
    );
    expect(created.code).toBe(0);
    const client = JSON.parse(created.stdout);
    expect(client).toMatchObject({
      name: "etl",
      scopes: ["chat", "models:read"],
      state: "active",
      organizationId: orgId,
    });
    expect(client.client_id).toMatch(/^oc_[0-9A-Za-z]{24}$/);
    expect(client.client_secret).toMatch(/^cs-[0-9A-Za-z]{48}$/);
    expect(
      await verifyClientSecret(platform(), {
        clientId: client.client_id,
        clientSecret: client.client_secret,
      }),
    ).not.toBeNull();

    const listed = await cli("oauth-client", "list", "--org", orgId, "--json");
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({ id: client.client_id, state: "active" }),
    ]);
    expect(listed.stdout).not.toContain(client.client_secret);
    const human = await cli("oauth-client", "list", "--org", orgId);
    expect(human.stdout).toMatch(/^CLIENT ID\s+NAME\s+SECRET\s+STATE/);

    const revoked = await cli("oauth-client", "revoke", client.client_id, "--json");
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout).state).toBe("revoked");
    expect(
      await verifyClientSecret(platform(), {
        clientId: client.client_id,
        clientSecret: client.client_secret,
      }),
    ).toBeNull();
    expect(
      await t.db.auditEvent.count({
        where: { targetId: client.client_id, origin: "cli", action: { startsWith: "oauth_client." } },
      }),
    ).toBe(2);
  });

  it("shows the secret to people with a warning, and rotates it with a grace period", async () => {
    const orgId = await newOrg();
    const { stdout, code } = await cli("oauth-client", "create", "--org", orgId, "--scopes", "chat");
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}client_secret: cs-[0-9A-Za-z]{48}$/m);
    expect(stdout).toContain("shown only now");
    const clientId = /client_id: +(oc_\w+)/.exec(stdout)?.[1] as string;
    const old = /client_secret: +(cs-\w+)/.exec(stdout)?.[1] as string;

    const rotated = JSON.parse(
      (await cli("oauth-client", "rotate-secret", clientId, "--grace", "0", "--json")).stdout,
    );
    expect(rotated.client_secret).toMatch(/^cs-/);
    expect(await verifyClientSecret(platform(), { clientId, clientSecret: old })).toBeNull();
    expect(
      await verifyClientSecret(platform(), { clientId, clientSecret: rotated.client_secret }),
    ).not.toBeNull();
  });
});

describe("dsc-admin key rotate", () => {
  it("prints a new secret; the old one keeps working for the grace period", async () => {
    const orgId = await newOrg();
    const key = JSON.parse((await cli("key", "create", "--org", orgId, "--json")).stdout);
    const rotated = await cli("key", "rotate", key.id, "--grace", "2h", "--json");
    expect(rotated.code).toBe(0);
    const body = JSON.parse(rotated.stdout);
    expect(body).toMatchObject({ id: key.id, state: "active" });
    expect(body.key).toMatch(/^sk-[0-9A-Za-z]{48}$/);
    expect(body.key).not.toBe(key.key);
    const graceEnd = new Date(body.previousSecretExpiresAt).getTime();
    expect(Math.abs(graceEnd - Date.now() - 2 * 3_600_000)).toBeLessThan(60_000);
    expect((await verifyApiKey(platform(), key.key))?.credentialId).toBe(key.id);
    expect((await verifyApiKey(platform(), body.key))?.credentialId).toBe(key.id);
    const row = await t.db.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(row.previousHash).toBe(hashApiKeySecret(key.key, pepper));
  });

  it("defaults to a 24 h grace period", async () => {
    const orgId = await newOrg();
    const key = JSON.parse((await cli("key", "create", "--org", orgId, "--json")).stdout);
    const body = JSON.parse((await cli("key", "rotate", key.id, "--json")).stdout);
    const graceEnd = new Date(body.previousSecretExpiresAt).getTime();
    expect(Math.abs(graceEnd - Date.now() - 24 * 3_600_000)).toBeLessThan(60_000);
  });
});

describe("dsc-admin key create with a powerful scope", () => {
  it("is refused without --confirm-powerful-scopes (exit 2, saying why), for keys and clients", async () => {
    const orgId = await newOrg();
    for (const [group, scopes] of [
      ["key", "chat,users:delete"],
      ["oauth-client", "users:export"],
    ]) {
      const refused = await cli(group as string, "create", "--org", orgId, "--scopes", scopes as string);
      expect(refused.code).toBe(2);
      expect(refused.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(refused.stderr).toContain((scopes as string).split(",").at(-1));
      expect(refused.stderr).toContain("--confirm-powerful-scopes");
    }
    expect(await t.db.apiKey.count({ where: { organizationId: orgId } })).toBe(0);
    expect(await t.db.oAuthClient.count({ where: { organizationId: orgId } })).toBe(0);
  });

  it("is granted with the flag, warned about and audited with the scope named", async () => {
    const orgId = await newOrg();
    const human = await cli(
      "key",
      "create",
      "--org",
      orgId,
      "--scopes",
      "chat,users:delete,users:export",
      "--confirm-powerful-scopes",
    );
    expect(human.code).toBe(0);
    expect(human.stdout).toContain("warning: it can erase end users");
    expect(human.stdout).toContain("warning: it can export end users' data");
    const created = await cli(
      "oauth-client",
      "create",
      "--org",
      orgId,
      "--scopes",
      "users:export",
      "--confirm-powerful-scopes",
      "--json",
    );
    expect(created.code).toBe(0);
    const client = JSON.parse(created.stdout);
    expect(client.scopes).toEqual(["users:export"]);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: client.client_id } });
    expect(audit).toMatchObject({ action: "oauth_client.create", origin: "cli" });
    expect(audit.metadata).toMatchObject({ powerfulScopes: ["users:export"] });
  });
});

describe("dsc-admin signing-key", () => {
  it("rotates the signing key: the new key signs, the old one verifies until it retires", async () => {
    const first = JSON.parse((await cli("signing-key", "rotate", "--json")).stdout);
    expect(first.key).toMatchObject({ algorithm: "EdDSA", state: "signing" });
    const second = await cli("signing-key", "rotate", "--algorithm", "ES256", "--retire-in", "10m", "--json");
    expect(second.code).toBe(0);
    const { key, replaced } = JSON.parse(second.stdout);
    expect(key).toMatchObject({ algorithm: "ES256", state: "signing" });
    expect(replaced).toEqual([expect.objectContaining({ kid: first.key.kid, state: "verifying" })]);

    const ring = createSigningKeyRing({ db: t.db, clock: { now: () => new Date() }, signingSecret });
    expect((await ring.signingKey()).kid).toBe(key.kid);
    const listed = JSON.parse((await cli("signing-key", "list", "--json")).stdout);
    expect(listed.map((k: { kid: string }) => k.kid)).toEqual([key.kid, first.key.kid]);
    expect(JSON.stringify(listed)).not.toMatch(/ciphertext|"d"/i);
  });

  it("needs the signing secret in production", async () => {
    const code = await runAdminCli(["signing-key", "rotate"], {
      stdout: () => {},
      stderr: (text) => expect(text).toMatch(/SIGNING_KEY_SECRET must be set in production/),
      env: { DATABASE_URL: t.url, API_KEY_PEPPER: pepper, NODE_ENV: "production" },
    });
    expect(code).toBe(1);
  });
});

describe("bad arguments exit 2 with one line", () => {
  it.each([
    [["oauth-client", "create", "--org", "org_x"], /--scopes is required/],
    [["oauth-client", "create", "--org", "org_x", "--scopes", "root"], /unknown scope/],
    [["oauth-client", "revoke"], /expected exactly one client id/],
    [["key", "rotate", "key_x", "--grace", "soon"], /grace must look like/],
    [["signing-key", "rotate", "--algorithm", "RS256"], /--algorithm must be one of EdDSA, ES256/],
  ])("%j", async (argv, message) => {
    const { code, stderr, stdout } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stdout).toBe("");
  });

  it("exits 1 when the client does not exist", async () => {
    const { code, stdout } = await cli("oauth-client", "revoke", "oc_doesnotexist", "--json");
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ error: { message: "OAuth client oc_doesnotexist does not exist" } });
  });
});
