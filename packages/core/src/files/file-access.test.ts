import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { text } from "node:stream/consumers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { deleteFile } from "./delete-file.ts";
import { createDiskFileStorage } from "./disk-file-storage.ts";
import type { FileDeps } from "./file-deps.ts";
import { listFiles } from "./list-files.ts";
import { openFileContent } from "./open-file-content.ts";
import { retrieveFile } from "./retrieve-file.ts";
import { type UploadPart, uploadFile } from "./upload-file.ts";

let t: TestDatabase;
let dir: string;
let deps: FileDeps;
const clock = fakeClock(new Date("2026-03-01T00:00:00Z"));
const actor = cliActor("test");

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "dsc-file-access-"));
  deps = { db: t.db, clock, storage: createDiskFileStorage({ directory: dir }) };
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const newOrg = async () => (await createOrganization(deps, { name: "Acme", tier: "free", actor })).id;

async function* form(content: string, purpose: string, seconds?: number): AsyncIterable<UploadPart> {
  yield { kind: "field", name: "purpose", value: purpose };
  if (seconds) {
    yield { kind: "field", name: "expires_after[anchor]", value: "created_at" };
    yield { kind: "field", name: "expires_after[seconds]", value: String(seconds) };
  }
  yield {
    kind: "file",
    name: "file",
    filename: `${content}.txt`,
    contentType: "text/plain",
    content: (async function* () {
      yield Buffer.from(content);
    })(),
  };
}
const upload = (organizationId: string, content: string, purpose = "user_data", seconds?: number) =>
  uploadFile(deps, { organizationId, apiKeyId: null, actor, parts: form(content, purpose, seconds) });

describe("listFiles", () => {
  it("pages through the organization's files newest first, or oldest first, with after", async () => {
    const org = await newOrg();
    const ids: string[] = [];
    for (const name of ["a", "b", "c", "d", "e"]) {
      ids.push((await upload(org, name)).id);
      clock.advance(1000);
    }
    const first = await listFiles(deps, { organizationId: org, limit: 2 });
    expect(first.files.map((f) => f.id)).toEqual([ids[4], ids[3]]);
    expect(first.hasMore).toBe(true);
    const second = await listFiles(deps, { organizationId: org, limit: 2, after: ids[3] });
    expect(second.files.map((f) => f.id)).toEqual([ids[2], ids[1]]);
    const last = await listFiles(deps, { organizationId: org, limit: 2, after: ids[1] });
    expect(last).toMatchObject({ hasMore: false });
    expect(last.files.map((f) => f.id)).toEqual([ids[0]]);

    const ascending = await listFiles(deps, { organizationId: org, order: "asc", after: ids[1] });
    expect(ascending.files.map((f) => f.id)).toEqual(ids.slice(2));
    expect((await listFiles(deps, { organizationId: org })).files).toHaveLength(5);
  });

  it("orders files created in the same millisecond by id, so pages never skip or repeat", async () => {
    const org = await newOrg();
    const made = await Promise.all(["p", "q", "r", "s"].map((name) => upload(org, name)));
    const seen: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listFiles(deps, { organizationId: org, limit: 1, after, order: "asc" });
      seen.push(...result.files.map((f) => f.id));
      if (!result.hasMore) break;
      after = result.files.at(-1)?.id;
    }
    expect(seen).toEqual(made.map((f) => f.id).sort());
  });

  it("filters by purpose and refuses a bad limit or an unknown cursor", async () => {
    const org = await newOrg();
    await upload(org, "batch-file", "batch");
    await upload(org, "eval-file", "evals");
    const batch = await listFiles(deps, { organizationId: org, purpose: "batch" });
    expect(batch.files.map((f) => f.purpose)).toEqual(["batch"]);
    await expect(listFiles(deps, { organizationId: org, limit: 0 })).rejects.toMatchObject({
      param: "limit",
    });
    await expect(listFiles(deps, { organizationId: org, limit: 10_001 })).rejects.toMatchObject({
      param: "limit",
    });
    await expect(listFiles(deps, { organizationId: org, after: "file-nope" })).rejects.toMatchObject({
      code: "invalid",
      param: "after",
    });
  });
});

describe("isolation between organizations", () => {
  it("never shows, serves or deletes another organization's file", async () => {
    const mine = await newOrg();
    const theirs = await newOrg();
    const file = await upload(theirs, "secret");
    const as = { organizationId: mine, fileId: file.id };
    await expect(retrieveFile(deps, as)).rejects.toMatchObject({
      code: "not_found",
      reason: "file_not_found",
    });
    await expect(openFileContent(deps, as)).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteFile(deps, { ...as, actor })).rejects.toMatchObject({ code: "not_found" });
    expect((await listFiles(deps, { organizationId: mine })).files).toEqual([]);
    await expect(listFiles(deps, { organizationId: mine, after: file.id })).rejects.toMatchObject({
      param: "after",
    });
    expect(await retrieveFile(deps, { organizationId: theirs, fileId: file.id })).toMatchObject({
      id: file.id,
    });
  });
});

describe("expiry", () => {
  it("makes a file not found the moment it expires, everywhere", async () => {
    const org = await newOrg();
    const file = await upload(org, "short-lived", "batch", 3600);
    const as = { organizationId: org, fileId: file.id };
    clock.advance(3_600_000 - 1);
    expect(await retrieveFile(deps, as)).toMatchObject({ id: file.id });
    clock.advance(1);
    await expect(retrieveFile(deps, as)).rejects.toMatchObject({ code: "not_found" });
    await expect(openFileContent(deps, as)).rejects.toMatchObject({ code: "not_found" });
    await expect(deleteFile(deps, { ...as, actor })).rejects.toMatchObject({ code: "not_found" });
    expect((await listFiles(deps, { organizationId: org })).files).toEqual([]);
  });
});

describe("openFileContent and deleteFile", () => {
  it("streams the bytes, then deletes record and bytes with an audit event", async () => {
    const org = await newOrg();
    const file = await upload(org, "hello world");
    const content = await openFileContent(deps, { organizationId: org, fileId: file.id });
    expect(content.bytes).toBe(11);
    expect(await text(content.stream)).toBe("hello world");

    expect(await deleteFile(deps, { organizationId: org, fileId: file.id, actor })).toEqual({
      id: file.id,
      storageError: null,
    });
    expect(await deps.storage.head(file.storageKey)).toBeNull();
    expect(await t.db.file.findUnique({ where: { id: file.id } })).toBeNull();
    expect(await t.db.auditEvent.count({ where: { action: "file.delete", targetId: file.id } })).toBe(1);
    await expect(deleteFile(deps, { organizationId: org, fileId: file.id, actor })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("answers not found for a record whose bytes are gone", async () => {
    const org = await newOrg();
    const file = await upload(org, "lost");
    await deps.storage.delete(file.storageKey);
    await expect(openFileContent(deps, { organizationId: org, fileId: file.id })).rejects.toMatchObject({
      code: "not_found",
    });
  });

  it("deletes the record even when the bytes cannot be removed, and reports it", async () => {
    const org = await newOrg();
    const file = await upload(org, "stuck");
    const failure = new Error("storage is down");
    const result = await deleteFile(
      { ...deps, storage: { ...deps.storage, delete: () => Promise.reject(failure) } },
      { organizationId: org, fileId: file.id, actor },
    );
    expect(result).toEqual({ id: file.id, storageError: failure });
    expect(await t.db.file.findUnique({ where: { id: file.id } })).toBeNull();
    // the bytes stay for the orphan sweeper
    expect(await deps.storage.head(file.storageKey)).toEqual({ bytes: 5 });
  });
});
