import { cliActor, createUser } from "@dsc/core";
import { beforeAll, describe, expect, it } from "vitest";
import { runAdminCliCaptured } from "../../../../test/support/admin-cli.ts";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { runAdminCli } from "./run-admin-cli.ts";

let t: TestDatabase;
const pepper = "cli-test-pepper-0123456789abcdef0123";

beforeAll(async () => {
  t = await createTestDatabase();
});

function cli(...argv: string[]) {
  return runAdminCliCaptured(argv, { DATABASE_URL: t.url, API_KEY_PEPPER: pepper });
}

describe("dsc-admin", () => {
  it("creates an organization, a key, lists and revokes it, all as JSON", async () => {
    const org = await cli("org", "create", "--name", "Globex", "--tier", "pro", "--json");
    expect(org.code).toBe(0);
    const { id: orgId, tier } = JSON.parse(org.stdout);
    expect(orgId).toMatch(/^org_/);
    expect(tier).toBe("pro");

    const created = await cli(
      "key",
      "create",
      "--org",
      orgId,
      "--name",
      "ci",
      "--scopes",
      "chat,models:read",
      "--expires-in",
      "30d",
      "--json",
    );
    expect(created.code).toBe(0);
    const key = JSON.parse(created.stdout);
    expect(key).toMatchObject({ name: "ci", scopes: ["chat", "models:read"], state: "active" });
    expect(key.id).toMatch(/^key_/);
    expect(key.key).toMatch(/^sk-[0-9A-Za-z]{48}$/);
    expect(key.prefix).toBe(`${key.key.slice(0, 6)}…${key.key.slice(-4)}`);

    const listed = await cli("key", "list", "--org", orgId, "--json");
    const keys = JSON.parse(listed.stdout);
    expect(keys).toHaveLength(1);
    expect(listed.stdout).not.toContain(key.key); // the secret is shown once only

    const revoked = await cli("key", "revoke", key.id, "--json");
    expect(revoked.code).toBe(0);
    expect(JSON.parse(revoked.stdout).state).toBe("revoked");
  });

  it("prints the secret for people with a warning that it is shown once", async () => {
    const { stdout: orgJson } = await cli("org", "create", "--name", "Initech", "--tier", "free", "--json");
    const { code, stdout } = await cli("key", "create", "--org", JSON.parse(orgJson).id);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}sk-[0-9A-Za-z]{48}$/m);
    expect(stdout).toContain("shown only now");
  });

  it("moves an organization to another tier and lists organizations", async () => {
    const { stdout } = await cli("org", "create", "--name", "Umbrella", "--tier", "free", "--json");
    const { id } = JSON.parse(stdout);
    const moved = await cli("tier", "set", "--org", id, "--tier", "pro", "--json");
    expect(JSON.parse(moved.stdout).tier).toBe("pro");
    const list = await cli("org", "list", "--search", "umbre", "--json");
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id, tier: "pro" })]);
    const table = await cli("org", "list", "--search", "umbre");
    expect(table.stdout).toMatch(/^ID\s+NAME\s+TIER\s+CREATED\n/);
  });

  it("sets a tier's file storage quota in MiB or makes it unlimited, audited", async () => {
    await t.db.tier.create({
      data: {
        id: "tier_cli_quota",
        slug: "cli-quota",
        name: "CLI quota",
        requestsPerMinute: 5,
        maxFileBytes: 1n,
      },
    });
    const set = await cli("tier", "storage", "--tier", "cli-quota", "--max-mib", "2048", "--json");
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ slug: "cli-quota", maxStorageBytes: 2 * 1024 ** 3 });
    expect((await t.db.tier.findUniqueOrThrow({ where: { id: "tier_cli_quota" } })).maxStorageBytes).toBe(
      2n * 1024n ** 3n,
    );
    const unlimited = await cli("tier", "storage", "--tier", "cli-quota", "--unlimited");
    expect(unlimited).toMatchObject({
      code: 0,
      stdout: "tier cli-quota: file storage per organization unlimited\n",
    });
    expect(
      (await t.db.tier.findUniqueOrThrow({ where: { id: "tier_cli_quota" } })).maxStorageBytes,
    ).toBeNull();
    expect(
      await t.db.auditEvent.count({
        where: { targetId: "tier_cli_quota", action: "tier.update", origin: "cli" },
      }),
    ).toBe(2);

    for (const bad of [["--max-mib", "0"], ["--max-mib", "1.5"], [], ["--max-mib", "5", "--unlimited"]]) {
      expect((await cli("tier", "storage", "--tier", "cli-quota", ...bad)).code).toBe(2);
    }
    expect((await cli("tier", "storage", "--tier", "nope", "--unlimited")).code).toBe(1);
  });

  it("places and lifts a legal hold, and sets an organization's data protection", async () => {
    const { id } = JSON.parse(
      (await cli("org", "create", "--name", "Held Co", "--tier", "free", "--json")).stdout,
    );
    const held = await cli("org", "legal-hold", "--org", id, "--on", "--reason", "Matter 12", "--json");
    expect(held.code).toBe(0);
    expect(JSON.parse(held.stdout)).toMatchObject({ id, legalHold: true });
    const again = await cli("org", "legal-hold", "--org", id, "--on", "--reason", "Matter 13");
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining("already under a legal hold") });
    const lifted = await cli("org", "legal-hold", "--org", id, "--off");
    expect(lifted).toMatchObject({
      code: 0,
      stdout: expect.stringContaining("no longer under a legal hold"),
    });
    const audits = await t.db.auditEvent.findMany({
      where: { targetId: id, action: { startsWith: "organization.legal_hold" } },
      orderBy: { id: "asc" },
    });
    expect(audits.map((a) => [a.action, a.actorId, a.origin])).toEqual([
      ["organization.legal_hold.place", "dsc-admin", "cli"],
      ["organization.legal_hold.lift", "dsc-admin", "cli"],
    ]);

    const set = await cli(
      "org",
      "data-protection",
      "--org",
      id,
      "--mask",
      "phone, email",
      "--mask-upstream",
      "on",
      "--cache",
      "off",
      "--json",
    );
    expect(JSON.parse(set.stdout)).toMatchObject({
      piiMaskKinds: ["email", "phone"],
      maskPiiUpstream: true,
      responseCacheEnabled: false,
    });
    const none = await cli("org", "data-protection", "--org", id, "--mask", "none");
    expect(none.stdout).toMatch(/masks:\s+nothing/);
    const unknown = await cli("org", "data-protection", "--org", id, "--mask", "email,shoe-size");
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('"shoe-size"') });
  });

  it("reports the schema as up to date and seeds idempotently", async () => {
    expect(JSON.parse((await cli("migrate", "--json")).stdout)).toEqual({ upToDate: true, pending: [] });
    const first = JSON.parse((await cli("seed", "--json")).stdout);
    expect(first.firstRun).toBe(true);
    expect(first.admin.generatedPassword).toMatch(/^[0-9A-Za-z]{20}$/);
    expect(first.demo.key).toMatch(/^sk-/);
    const second = JSON.parse((await cli("seed", "--json")).stdout);
    expect(second).toEqual({ firstRun: false, admin: null, demo: null });
  });

  it.each([
    [["org", "create", "--tier", "pro"], /--name is required/],
    [["org", "create", "--name", "X", "--tier", "gold"], /unknown tier "gold"/],
    [["org", "create", "--name", "X", "--tier", "pro", "--colour", "red"], /Unknown option '--colour'/],
    [["key", "create", "--org", "org_x", "--expires-in", "soon"], /expires-in must look like/],
    [["key", "create", "--org", "org_x", "--scopes", "root"], /unknown scope/],
    [["key", "revoke"], /expected exactly one key id/],
    [["frobnicate"], /unknown command/],
    [["org", "list", "--limit", "0"], /--limit must be/],
    [["org", "legal-hold", "--org", "org_x"], /either --on or --off/],
    [["org", "legal-hold", "--org", "org_x", "--on", "--off"], /either --on or --off/],
    [["org", "legal-hold", "--org", "org_x", "--on"], /--reason is required/],
    [["org", "data-protection", "--org", "org_x"], /say what to change/],
    [["org", "data-protection", "--org", "org_x", "--cache", "maybe"], /--cache must be on or off/],
    [["org", "data-protection", "--org", "org_x", "--mask", ","], /--mask needs kinds/],
  ])("exits 2 with one line for bad arguments: %j", async (argv, message) => {
    const { code, stderr, stdout } = await cli(...argv);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stdout).toBe("");
  });

  it("opens erasure requests for an end user and an organization, idempotently", async () => {
    const { id: orgId } = JSON.parse(
      (await cli("org", "create", "--name", "Erase Me", "--tier", "free", "--json")).stdout,
    );
    const first = JSON.parse(
      (await cli("erasure", "request", "--org", orgId, "--subject", "end-user", "--id", "u-1", "--json"))
        .stdout,
    );
    expect(first).toMatchObject({ status: "pending", created: true });
    expect(first.id).toMatch(/^delreq_/);
    const again = JSON.parse(
      (await cli("erasure", "request", "--org", orgId, "--subject", "end-user", "--id", "u-1", "--json"))
        .stdout,
    );
    expect(again).toMatchObject({ id: first.id, created: false });
    const org = JSON.parse(
      (await cli("erasure", "request", "--org", orgId, "--subject", "organization", "--json")).stdout,
    );
    expect(org.created).toBe(true);
    const row = await t.db.deletionRequest.findUniqueOrThrow({ where: { id: org.id } });
    expect(row).toMatchObject({ subjectType: "ORGANIZATION", subjectId: orgId });
    const bad = await cli("erasure", "request", "--org", orgId, "--subject", "planet");
    expect(bad.code).toBe(2);
    const noOrg = await cli("erasure", "request", "--subject", "end-user", "--id", "u-1");
    expect(noOrg).toMatchObject({ code: 2, stderr: expect.stringContaining("--org is required") });
  });

  it("opens an account erasure without --org for a person of no organization", async () => {
    const officer = await createUser(
      { db: t.db, clock: fakeClock() },
      { email: "officer@example.com", role: "COMPLIANCE", actor: cliActor("test") },
    );
    const opened = await cli("erasure", "request", "--subject", "account", "--id", officer.id, "--json");
    expect(opened.code).toBe(0);
    const { id } = JSON.parse(opened.stdout);
    const row = await t.db.deletionRequest.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ subjectType: "ACCOUNT", subjectId: officer.id, organizationId: null });
    // naming an organization the person is not in finds nobody
    const { id: orgId } = JSON.parse(
      (await cli("org", "create", "--name", "Not Hers", "--tier", "free", "--json")).stdout,
    );
    const wrongOrg = await cli(
      "erasure",
      "request",
      "--org",
      orgId,
      "--subject",
      "account",
      "--id",
      officer.id,
    );
    expect(wrongOrg.code).toBe(1);
  });

  it("exits 1 when the target does not exist, and reports errors as JSON with --json", async () => {
    const { code, stdout } = await cli("key", "revoke", "key_doesnotexist", "--json");
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({ error: { message: "API key key_doesnotexist does not exist" } });
  });

  it("refuses a missing option or a stray argument before it opens the database", async () => {
    // nothing listens on port 1: a command that got as far as the database would fail with 1
    const unreachable = { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/none", API_KEY_PEPPER: pepper };
    for (const [argv, message] of [
      [["org", "create", "--tier", "pro"], "--name is required"],
      [["org", "list", "extra"], 'unexpected argument "extra"'],
      [["key", "rotate"], "expected exactly one key id"],
    ] as const) {
      const stderr: string[] = [];
      const code = await runAdminCli([...argv], {
        stdout: () => {},
        stderr: (text) => stderr.push(text),
        env: unreachable,
      });
      expect({ code, stderr: stderr.join("") }).toEqual({
        code: 2,
        stderr: expect.stringMatching(new RegExp(`^dsc-admin: ${message} \\(usage: `)),
      });
    }
  });

  it("refuses a bad configuration value and names the variable", async () => {
    const code = await runAdminCli(["org", "list"], {
      stdout: () => {},
      stderr: (text) => expect(text).toMatch(/ADMIN_PASSWORD: must be at least 12 characters/),
      env: { DATABASE_URL: t.url, ADMIN_PASSWORD: "short" },
    });
    expect(code).toBe(2);
  });
});
