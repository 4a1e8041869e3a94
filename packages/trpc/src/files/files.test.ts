import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { cliActor, createDiskFileStorage, type FileStorage, uploadFile } from "@dsc/core";
import type { Role } from "@dsc/vocabulary";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
let dir: string;
let storage: FileStorage;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
  dir = await mkdtemp(path.join(os.tmpdir(), "dsc-trpc-files-"));
  storage = createDiskFileStorage({ directory: dir });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The dashboard as `role`, with the gateway's file storage. */
const as = (role: Role) => w.caller(w.people[role], { fileStorage: storage });

function upload(organizationId: string, filename: string, user?: string) {
  return uploadFile(
    { db: t.db, clock: { now: () => new Date() }, storage },
    {
      organizationId,
      apiKeyId: null,
      actor: cliActor("test"),
      parts: (async function* () {
        yield { kind: "field" as const, name: "purpose", value: "batch" };
        if (user) yield { kind: "field" as const, name: "user", value: user };
        yield {
          kind: "file" as const,
          name: "file",
          filename,
          contentType: "application/jsonl",
          content: (async function* () {
            yield Buffer.from(`{"name":"${filename}"}\n`);
          })(),
        };
      })(),
    },
  );
}

describe("files.list and files.summary", () => {
  it("show admins and compliance officers any organization's files, a developer only their own", async () => {
    const own = await upload(w.ownOrg, "own.jsonl", "ann");
    const other = await upload(w.otherOrg, "other.jsonl");
    for (const role of ["ADMIN", "COMPLIANCE"] as const) {
      const page = await as(role).files.list({ organizationId: w.otherOrg });
      expect(page.items.map((file) => file.id)).toContain(other.id);
    }
    const dev = as("DEVELOPER");
    const mine = await dev.files.list({ organizationId: w.ownOrg, endUserId: "ann" });
    expect(mine.items).toEqual([
      expect.objectContaining({ id: own.id, filename: "own.jsonl", endUserId: "ann" }),
    ]);
    await expect(dev.files.list({ organizationId: w.otherOrg })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(dev.files.summary({ organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });

    const summary = await dev.files.summary({ organizationId: w.ownOrg });
    expect(summary).toMatchObject({
      organizationId: w.ownOrg,
      quotaBytes: 100 * 1024 * 1024,
      legalHold: false,
    });
    expect(summary.usedBytes).toBeGreaterThan(0);
    expect(summary.nextPurge.at.getTime()).toBeGreaterThan(Date.now());
  });

  it("bounds every filter and the page", async () => {
    const admin = as("ADMIN");
    for (const input of [
      { limit: 101 },
      { nameContains: "x".repeat(201) },
      { endUserId: "x".repeat(257) },
      { after: "x".repeat(13) },
      { sort: "owner" },
    ]) {
      await expect(
        admin.files.list({ organizationId: w.ownOrg, ...(input as object) }),
      ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });
});

describe("files.delete", () => {
  it("deletes a developer's own file, its record and bytes, audited as them", async () => {
    const file = await upload(w.ownOrg, "gone.jsonl");
    expect(await as("DEVELOPER").files.delete({ organizationId: w.ownOrg, fileId: file.id })).toEqual({
      id: file.id,
      bytesDeleted: true,
    });
    expect(await t.db.file.findUnique({ where: { id: file.id } })).toBeNull();
    expect(await storage.head(file.storageKey)).toBeNull();
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: file.id, action: "file.delete" },
    });
    expect(audit).toMatchObject({ actorId: w.people.DEVELOPER.id, origin: "192.0.2.10" });
  });

  it("lets a compliance officer delete any organization's file, never a developer another's", async () => {
    const file = await upload(w.otherOrg, "minimised.jsonl");
    await expect(
      as("DEVELOPER").files.delete({ organizationId: w.otherOrg, fileId: file.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    // naming their own organization does not reach another's file either
    await expect(
      as("DEVELOPER").files.delete({ organizationId: w.ownOrg, fileId: file.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await as("COMPLIANCE").files.delete({ organizationId: w.otherOrg, fileId: file.id });
    expect(await t.db.file.findUnique({ where: { id: file.id } })).toBeNull();
  });

  it("is refused under a legal hold, and without file storage", async () => {
    const file = await upload(w.otherOrg, "held.jsonl");
    await t.db.organization.update({ where: { id: w.otherOrg }, data: { legalHold: true } });
    try {
      await expect(
        as("ADMIN").files.delete({ organizationId: w.otherOrg, fileId: file.id }),
      ).rejects.toMatchObject({ code: "CONFLICT" });
    } finally {
      await t.db.organization.update({ where: { id: w.otherOrg }, data: { legalHold: false } });
    }
    await expect(
      w.as("ADMIN").files.delete({ organizationId: w.otherOrg, fileId: file.id }),
    ).rejects.toMatchObject({ code: "SERVICE_UNAVAILABLE" });
    expect(await t.db.file.findUnique({ where: { id: file.id } })).not.toBeNull();
  });
});

describe("files.changeExpiry", () => {
  it("lets a developer move their file's expiry within the retention, audited", async () => {
    const file = await upload(w.ownOrg, "kept.jsonl");
    const latest = new Date(file.createdAt.getTime() + 7 * DAY);
    const changed = await as("DEVELOPER").files.changeExpiry({
      organizationId: w.ownOrg,
      fileId: file.id,
      expiresAt: new Date(Date.now() + HOUR),
    });
    expect(changed.expiresAt?.getTime()).toBeLessThan(latest.getTime());
    await expect(
      as("DEVELOPER").files.changeExpiry({
        organizationId: w.ownOrg,
        fileId: file.id,
        expiresAt: new Date(latest.getTime() + 1000),
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", cause: { param: "expiresAt" } });
    expect(await t.db.auditEvent.count({ where: { targetId: file.id, action: "file.expiry.change" } })).toBe(
      1,
    );
  });

  it("is refused to compliance officers, and to a developer for another organization", async () => {
    const file = await upload(w.otherOrg, "theirs.jsonl");
    const expiresAt = new Date(Date.now() + HOUR);
    await expect(
      as("COMPLIANCE").files.changeExpiry({ organizationId: w.otherOrg, fileId: file.id, expiresAt }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      as("DEVELOPER").files.changeExpiry({ organizationId: w.otherOrg, fileId: file.id, expiresAt }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      as("ADMIN").files.changeExpiry({ organizationId: w.otherOrg, fileId: file.id, expiresAt }),
    ).resolves.toMatchObject({ id: file.id, expiresAt });
  });
});
