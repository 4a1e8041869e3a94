import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { changeFileExpiry } from "./change-file-expiry.ts";
import { createDiskFileStorage } from "./disk-file-storage.ts";
import type { FileDeps } from "./file-deps.ts";
import { nextFilePurgeAt } from "./file-purge-schedule.ts";
import { purgeExpiredFiles } from "./purge-expired-files.ts";
import { searchOrganizationFiles } from "./search-organization-files.ts";
import { summarizeOrganizationFiles } from "./summarize-organization-files.ts";
import { uploadFile } from "./upload-file.ts";

let t: TestDatabase;
let dir: string;
let deps: FileDeps;
// 09:55 UTC: the purge next runs at 10:00
const clock = fakeClock(new Date("2026-03-01T09:55:00Z"));
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "dsc-org-files-"));
  deps = { db: t.db, clock, storage: createDiskFileStorage({ directory: dir }) };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Upload {
  name: string;
  bytes: number;
  purpose?: string;
  user?: string;
  /** asks for this lifetime; else the retention applies */
  seconds?: number;
}

function upload(organizationId: string, file: Upload) {
  return uploadFile(deps, {
    organizationId,
    apiKeyId: null,
    actor,
    parts: (async function* () {
      yield { kind: "field" as const, name: "purpose", value: file.purpose ?? "batch" };
      if (file.user) yield { kind: "field" as const, name: "user", value: file.user };
      if (file.seconds !== undefined) {
        yield { kind: "field" as const, name: "expires_after[anchor]", value: "created_at" };
        yield { kind: "field" as const, name: "expires_after[seconds]", value: String(file.seconds) };
      }
      yield {
        kind: "file" as const,
        name: "file",
        filename: file.name,
        contentType: "application/jsonl",
        content: (async function* () {
          yield randomBytes(file.bytes);
        })(),
      };
    })(),
  });
}

async function newOrganization(name: string) {
  return (await createOrganization(deps, { name, tier: "free", actor })).id;
}

describe("nextFilePurgeAt", () => {
  it("is the next ten-minute mark, never now itself", () => {
    expect(nextFilePurgeAt(new Date("2026-03-01T09:55:00Z"))).toEqual(new Date("2026-03-01T10:00:00Z"));
    expect(nextFilePurgeAt(new Date("2026-03-01T10:00:00Z"))).toEqual(new Date("2026-03-01T10:10:00Z"));
    expect(nextFilePurgeAt(new Date("2026-03-01T23:59:59Z"))).toEqual(new Date("2026-03-02T00:00:00Z"));
  });
});

describe("searchOrganizationFiles", () => {
  it("filters by purpose, end user, name and expiry, and sorts by each column, within the organization", async () => {
    const org = await newOrganization("Searched");
    const other = await newOrganization("Other");
    await upload(org, { name: "alpha.jsonl", bytes: 30, purpose: "batch", user: "ann" });
    clock.advance(MINUTE);
    await upload(org, {
      name: "Beta-report.jsonl",
      bytes: 10,
      purpose: "fine-tune",
      user: "bob",
      seconds: 3600,
    });
    clock.advance(MINUTE);
    await upload(org, { name: "gamma.jsonl", bytes: 20, purpose: "batch", seconds: 7200 });
    await upload(other, { name: "alpha.jsonl", bytes: 5 });
    const names = async (input: Parameters<typeof searchOrganizationFiles>[1]) =>
      (await searchOrganizationFiles(deps, input)).items.map((file) => file.filename);

    expect(await names({ organizationId: org })).toEqual(["gamma.jsonl", "Beta-report.jsonl", "alpha.jsonl"]);
    expect(await names({ organizationId: org, purpose: "batch" })).toEqual(["gamma.jsonl", "alpha.jsonl"]);
    expect(await names({ organizationId: org, endUserId: "bob" })).toEqual(["Beta-report.jsonl"]);
    expect(await names({ organizationId: org, nameContains: "BETA" })).toEqual(["Beta-report.jsonl"]);
    // LIKE's wildcards are text here, not patterns
    expect(await names({ organizationId: org, nameContains: "%" })).toEqual([]);
    expect(await names({ organizationId: org, nameContains: "a_p" })).toEqual([]);
    expect(
      await names({ organizationId: org, expiresBefore: new Date(clock.now().getTime() + 3 * HOUR) }),
    ).toEqual(["gamma.jsonl", "Beta-report.jsonl"]);
    expect(await names({ organizationId: org, sort: "size", direction: "asc" })).toEqual([
      "Beta-report.jsonl",
      "gamma.jsonl",
      "alpha.jsonl",
    ]);
    expect(await names({ organizationId: org, sort: "expiry", direction: "asc" })).toEqual([
      "Beta-report.jsonl",
      "gamma.jsonl",
      "alpha.jsonl",
    ]);
    expect(await names({ organizationId: org, sort: "name", direction: "desc" })).toEqual([
      "gamma.jsonl",
      "alpha.jsonl",
      "Beta-report.jsonl",
    ]);
    const [first] = (await searchOrganizationFiles(deps, { organizationId: org, endUserId: "ann" })).items;
    expect(first).toMatchObject({ bytes: 30, purpose: "batch", endUserId: "ann", organizationId: org });
    expect(first?.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("pages by offset without skipping or repeating, and refuses a made-up page", async () => {
    const org = await newOrganization("Paged");
    for (let i = 0; i < 5; i++) await upload(org, { name: `same-${i}.jsonl`, bytes: 8 });
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await searchOrganizationFiles(deps, {
        organizationId: org,
        sort: "size",
        limit: 2,
        after,
      });
      seen.push(...page.items.map((file) => file.id));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    await expect(searchOrganizationFiles(deps, { organizationId: org, after: "-1" })).rejects.toMatchObject({
      code: "invalid",
      param: "after",
    });
    await expect(
      searchOrganizationFiles(deps, { organizationId: org, after: "10001" }),
    ).rejects.toMatchObject({
      code: "invalid",
    });
  });
});

describe("summarizeOrganizationFiles and the next purge", () => {
  it("counts storage against the quota and previews exactly what the next purge removes", async () => {
    clock.set(new Date("2026-03-01T09:00:00Z"));
    const org = await newOrganization("Previewed");
    // expires at 10:00, the next run: removed by it
    const soon = await upload(org, { name: "soon.jsonl", bytes: 100, seconds: 3600 });
    clock.set(new Date("2026-03-01T09:55:00Z"));
    const later = await upload(org, { name: "later.jsonl", bytes: 50, seconds: 3600 });
    const kept = await upload(org, { name: "kept.jsonl", bytes: 25 });

    const summary = await summarizeOrganizationFiles(deps, { organizationId: org });
    expect(summary).toMatchObject({
      fileCount: 3,
      usedBytes: 175,
      quotaBytes: 100 * 1024 * 1024,
      tierFileRetentionDays: 7,
      effectiveFileRetentionDays: 7,
      legalHold: false,
      nextPurge: { at: new Date("2026-03-01T10:00:00Z"), fileCount: 1, bytes: 100 },
    });
    const listed = await searchOrganizationFiles(deps, { organizationId: org, nextPurgeOnly: true });
    expect(listed.items.map((file) => file.id)).toEqual([soon.id]);

    // what the preview said is what the purge does when it runs
    clock.set(summary.nextPurge.at);
    const left = async () => (await t.db.file.findMany({ where: { organizationId: org } })).map((f) => f.id);
    await purgeExpiredFiles(deps);
    expect((await left()).sort()).toEqual([later.id, kept.id].sort());
  });

  it("counts files the organization's own retention ends, and nothing under a legal hold", async () => {
    clock.set(new Date("2026-03-10T09:55:00Z"));
    const org = await newOrganization("Retained");
    const old = await upload(org, { name: "old.jsonl", bytes: 10 });
    clock.advance(3 * DAY);
    await upload(org, { name: "new.jsonl", bytes: 20 });
    // set with SQL, so only the purge's retention pass, not the written expiry, ends the old file
    await t.db.organization.update({ where: { id: org }, data: { fileRetentionDays: 2 } });
    const summary = await summarizeOrganizationFiles(deps, { organizationId: org });
    expect(summary.nextPurge).toMatchObject({ fileCount: 1, bytes: 10 });
    expect(summary.effectiveFileRetentionDays).toBe(2);
    const listed = await searchOrganizationFiles(deps, { organizationId: org, nextPurgeOnly: true });
    expect(listed.items.map((file) => file.id)).toEqual([old.id]);

    await t.db.organization.update({ where: { id: org }, data: { legalHold: true } });
    const held = await summarizeOrganizationFiles(deps, { organizationId: org });
    expect(held).toMatchObject({ legalHold: true, nextPurge: { fileCount: 0, bytes: 0 } });
    expect((await searchOrganizationFiles(deps, { organizationId: org, nextPurgeOnly: true })).items).toEqual(
      [],
    );
  });

  it("answers not found for an unknown organization", async () => {
    await expect(summarizeOrganizationFiles(deps, { organizationId: "org_missing" })).rejects.toMatchObject({
      code: "not_found",
    });
  });
});

describe("changeFileExpiry", () => {
  it("moves the expiry within the retention from the file's creation, audited with both values", async () => {
    clock.set(new Date("2026-04-01T12:00:00Z"));
    const org = await newOrganization("Expiring");
    const file = await upload(org, { name: "f.jsonl", bytes: 4, seconds: 3600 });
    clock.advance(30 * MINUTE);
    // the latest allowed: creation + the tier's 7 days
    const latest = new Date(file.createdAt.getTime() + 7 * DAY);
    const changed = await changeFileExpiry(deps, {
      organizationId: org,
      fileId: file.id,
      expiresAt: latest,
      actor,
    });
    expect(changed.expiresAt).toEqual(latest);
    expect((await t.db.file.findUniqueOrThrow({ where: { id: file.id } })).expiresAt).toEqual(latest);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: file.id, action: "file.expiry.change" },
    });
    expect(audit.metadata).toEqual({
      from: { expiresAt: file.expiresAt?.toISOString() },
      to: { expiresAt: latest.toISOString() },
    });

    await expect(
      changeFileExpiry(deps, {
        organizationId: org,
        fileId: file.id,
        expiresAt: new Date(latest.getTime() + 1),
        actor,
      }),
    ).rejects.toMatchObject({ code: "invalid", param: "expiresAt" });
    await expect(
      changeFileExpiry(deps, { organizationId: org, fileId: file.id, expiresAt: clock.now(), actor }),
    ).rejects.toMatchObject({ code: "invalid", param: "expiresAt" });

    // the organization's own, shorter retention is the bound once it is set
    await t.db.organization.update({ where: { id: org }, data: { fileRetentionDays: 3 } });
    await expect(
      changeFileExpiry(deps, {
        organizationId: org,
        fileId: file.id,
        expiresAt: new Date(file.createdAt.getTime() + 3 * DAY + 1),
        actor,
      }),
    ).rejects.toMatchObject({ code: "invalid" });
  });

  it("answers not found for another organization's file", async () => {
    const org = await newOrganization("Owner");
    const stranger = await newOrganization("Stranger");
    const file = await upload(org, { name: "f.jsonl", bytes: 4 });
    await expect(
      changeFileExpiry(deps, {
        organizationId: stranger,
        fileId: file.id,
        expiresAt: new Date(clock.now().getTime() + HOUR),
        actor,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});
