import { createHash } from "node:crypto";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { recordErasureStarted } from "../chat-logs/erasure-tombstones.ts";
import { type DomainError, isDomainError } from "../errors/domain-error.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { deleteFile } from "./delete-file.ts";
import { createDiskFileStorage } from "./disk-file-storage.ts";
import type { FileDeps } from "./file-deps.ts";
import type { FileStorage } from "./file-storage.ts";
import { fileExpiry, normalizeContentType, type UploadPart, uploadFile } from "./upload-file.ts";

let t: TestDatabase;
let dir: string;
let deps: FileDeps;
let puts = 0;
const clock = fakeClock(new Date("2026-03-01T00:00:00Z"));
const DAY = 86_400_000;
const actor = cliActor("test");

let root: string;
beforeAll(async () => {
  t = await createTestDatabase();
  root = await mkdtemp(path.join(os.tmpdir(), "dsc-upload-"));
  await t.db.tier.create({
    data: { id: "tier_tiny", slug: "tiny", name: "Tiny", requestsPerMinute: 5, maxFileBytes: 1000n },
  });
  // files of up to 1000 bytes, 2500 bytes in all
  await t.db.tier.create({
    data: {
      id: "tier_cramped",
      slug: "cramped",
      name: "Cramped",
      requestsPerMinute: 5,
      maxFileBytes: 1000n,
      maxStorageBytes: 2500n,
    },
  });
});
afterAll(() => rm(root, { recursive: true, force: true }));

// a storage directory per test, so what one test leaves behind cannot fail another
let tests = 0;
beforeEach(() => {
  tests += 1;
  dir = path.join(root, String(tests));
  const disk = createDiskFileStorage({ directory: dir });
  // counts puts, so tests can prove a refusal came before any byte was stored
  const storage: FileStorage = {
    ...disk,
    put: (...args) => {
      puts += 1;
      return disk.put(...args);
    },
  };
  deps = { db: t.db, clock, storage };
});

async function newOrg(tier = "free") {
  return (await createOrganization({ db: t.db, clock }, { name: "Uploader", tier, actor })).id;
}

async function* chunks(...pieces: (string | Error)[]): AsyncIterable<Uint8Array> {
  for (const piece of pieces) {
    if (piece instanceof Error) throw piece;
    yield Buffer.from(piece);
  }
}
const file = (
  content: AsyncIterable<Uint8Array>,
  filename: string | undefined = "notes.jsonl",
): UploadPart => ({
  kind: "file",
  name: "file",
  filename,
  contentType: "application/jsonl",
  content,
});
const field = (name: string, value: string): UploadPart => ({ kind: "field", name, value });
async function* partsOf(...parts: UploadPart[]): AsyncIterable<UploadPart> {
  yield* parts;
}

const upload = (organizationId: string, ...parts: UploadPart[]) =>
  uploadFile(deps, { organizationId, apiKeyId: null, actor, parts: partsOf(...parts) });

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!isDomainError(error)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return error;
}

/** Proves that nothing of a refused upload is left: no record, no object, no partial file. */
async function expectNothingStored(organizationId: string) {
  expect(await t.db.file.count({ where: { organizationId } })).toBe(0);
  expect((await readdir(dir).catch(() => [])).filter((name) => name !== ".partial")).toEqual([]);
  expect(await readdir(path.join(dir, ".partial")).catch(() => [])).toEqual([]);
}

describe("uploadFile", () => {
  it("stores the bytes and the record: size, sha256, purpose, 7-day expiry, audit event", async () => {
    const org = await newOrg();
    const stored = await upload(org, field("purpose", "batch"), file(chunks('{"a":1}\n', '{"b":2}\n')));
    expect(stored).toMatchObject({
      organizationId: org,
      filename: "notes.jsonl",
      purpose: "batch",
      bytes: 16n,
      contentType: "application/jsonl",
      sha256: createHash("sha256").update('{"a":1}\n{"b":2}\n').digest("hex"),
      status: "PROCESSED",
      createdAt: clock.now(),
      expiresAt: new Date(clock.now().getTime() + 7 * DAY),
    });
    expect(stored.id).toMatch(/^file-[0-9A-Za-z]{24}$/);
    expect(stored.storageKey).toBe(stored.id);
    expect(await readdir(dir)).toContain(stored.id);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: "file.upload", targetId: stored.id },
    });
    expect(audit).toMatchObject({ organizationId: org, actorType: "SYSTEM" });
  });

  it("takes the fields after the file too, as the SDKs send them, and honours expires_after", async () => {
    const org = await newOrg();
    const stored = await upload(
      org,
      file(chunks("x")),
      field("purpose", "user_data"),
      field("expires_after[anchor]", "created_at"),
      field("expires_after[seconds]", "3600"),
    );
    expect(stored.purpose).toBe("user_data");
    expect(stored.expiresAt).toEqual(new Date(clock.now().getTime() + 3_600_000));
  });

  it("refuses a bad field sent before the file without storing a byte", async () => {
    const org = await newOrg();
    const before = puts;
    const error = await refusal(upload(org, field("purpose", "memes"), file(chunks("x"))));
    expect(error).toMatchObject({ code: "invalid", param: "purpose", reason: "invalid_value" });
    expect(puts).toBe(before);
    await expectNothingStored(org);
  });

  it("refuses a bad field sent after the file and removes the stored bytes", async () => {
    const org = await newOrg();
    const before = puts;
    const error = await refusal(upload(org, file(chunks("x")), field("purpose", "memes")));
    expect(error).toMatchObject({ code: "invalid", param: "purpose" });
    expect(puts).toBe(before + 1);
    await expectNothingStored(org);
  });

  it.each([
    ["no file", [field("purpose", "batch")], "file", "missing_required_parameter"],
    ["no purpose", [file(chunks("x"))], "purpose", "missing_required_parameter"],
    ["an empty file", [field("purpose", "batch"), file(chunks())], "file", "empty_file"],
    ["file as a text field", [field("file", "hello"), field("purpose", "batch")], "file", "invalid_value"],
    ["a file under another name", [{ ...file(chunks("x")), name: "upload" }], "upload", "invalid_value"],
    ["two files", [field("purpose", "batch"), file(chunks("a")), file(chunks("b"))], "file", "invalid_value"],
    [
      "purpose twice",
      [field("purpose", "batch"), field("purpose", "evals"), file(chunks("x"))],
      "purpose",
      null,
    ],
    [
      "seconds below 3600",
      [
        field("purpose", "batch"),
        field("expires_after[anchor]", "created_at"),
        field("expires_after[seconds]", "3599"),
      ],
      "expires_after[seconds]",
      "invalid_value",
    ],
    [
      "seconds above 30 days",
      [
        field("purpose", "batch"),
        field("expires_after[anchor]", "created_at"),
        field("expires_after[seconds]", "2592001"),
      ],
      "expires_after[seconds]",
      "invalid_value",
    ],
    [
      "seconds that are not a number",
      [
        field("purpose", "batch"),
        field("expires_after[anchor]", "created_at"),
        field("expires_after[seconds]", "soon"),
      ],
      "expires_after[seconds]",
      "invalid_value",
    ],
    [
      "an anchor other than created_at",
      [
        field("purpose", "batch"),
        field("expires_after[anchor]", "last_active_at"),
        field("expires_after[seconds]", "3600"),
      ],
      "expires_after[anchor]",
      "invalid_value",
    ],
    [
      "seconds without an anchor",
      [field("purpose", "batch"), field("expires_after[seconds]", "3600"), file(chunks("x"))],
      "expires_after[anchor]",
      "missing_required_parameter",
    ],
    [
      "a filename with a slash",
      [field("purpose", "batch"), file(chunks("x"), "../etc/passwd")],
      "file",
      "invalid_filename",
    ],
  ] as const)("refuses %s with 400 and keeps nothing", async (_name, parts, param, reason) => {
    const org = await newOrg();
    const error = await refusal(upload(org, ...(parts as readonly UploadPart[])));
    expect(error.code).toBe("invalid");
    expect(error.param).toBe(param);
    if (reason) expect(error.reason).toBe(reason);
    await expectNothingStored(org);
  });

  it("enforces the tier's maximum size while streaming: exactly the limit passes, one byte more is 413", async () => {
    const org = await newOrg("tiny");
    const fits = await upload(org, field("purpose", "batch"), file(chunks("a".repeat(600), "b".repeat(400))));
    expect(fits.bytes).toBe(1000n);
    await t.db.file.delete({ where: { id: fits.id } });
    await deps.storage.delete(fits.storageKey);

    const error = await refusal(
      upload(
        org,
        field("purpose", "batch"),
        file(chunks("a".repeat(600), "b".repeat(401), new Error("never read"))),
      ),
    );
    expect(error).toMatchObject({ code: "payload_too_large", param: "file", reason: "file_too_large" });
    await expectNothingStored(org);
  });

  it("keeps nothing when the upload breaks off half way (a client that disconnects)", async () => {
    const org = await newOrg();
    const cut = Object.assign(new Error("the request was closed"), { code: "FST_MP_PREMATURE_CLOSE" });
    await expect(upload(org, field("purpose", "batch"), file(chunks("a".repeat(5000), cut)))).rejects.toBe(
      cut,
    );
    await expectNothingStored(org);
  });

  it("keeps nothing when the form breaks off after the file", async () => {
    const org = await newOrg();
    async function* broken(): AsyncIterable<UploadPart> {
      yield field("purpose", "batch");
      yield file(chunks("complete"));
      throw new Error("Unexpected end of form");
    }
    await expect(
      uploadFile(deps, { organizationId: org, apiKeyId: null, actor, parts: broken() }),
    ).rejects.toThrow("Unexpected end of form");
    await expectNothingStored(org);
  });

  it("removes the bytes when the record cannot be written", async () => {
    const org = await newOrg();
    const failingDb = new Proxy(t.db, {
      get: (target, property, receiver) =>
        property === "$transaction"
          ? () => Promise.reject(new Error("database went away"))
          : Reflect.get(target, property, receiver),
    });
    await expect(
      uploadFile(
        { ...deps, db: failingDb },
        {
          organizationId: org,
          apiKeyId: null,
          actor,
          parts: partsOf(field("purpose", "batch"), file(chunks("x"))),
        },
      ),
    ).rejects.toThrow("database went away");
    await expectNothingStored(org);
  });

  it("stores parallel uploads of the same content as two files", async () => {
    const org = await newOrg();
    const [a, b] = await Promise.all([
      upload(org, field("purpose", "batch"), file(chunks("same bytes"))),
      upload(org, field("purpose", "batch"), file(chunks("same bytes"))),
    ]);
    expect(a?.id).not.toBe(b?.id);
    expect(a?.sha256).toBe(b?.sha256);
    expect(await t.db.file.count({ where: { organizationId: org } })).toBe(2);
  });

  it("keeps no upload of an end user whose erasure started while it was uploading; later ones are kept", async () => {
    const org = await newOrg();
    const subject = { type: "END_USER" as const, organizationId: org, id: "leaving-user" };
    async function* erasedMidway(): AsyncIterable<Uint8Array> {
      yield Buffer.from("first half\n");
      clock.advance(10);
      await recordErasureStarted(t.db, subject, clock.now());
      yield Buffer.from("second half\n");
    }
    const error = await refusal(
      upload(org, field("purpose", "user_data"), field("user", "leaving-user"), file(erasedMidway())),
    );
    expect(error).toMatchObject({ code: "conflict", reason: "erased_during_upload", param: "user" });
    await expectNothingStored(org);

    // the organization's own uploads, and the same end user's after the erasure started, are kept
    await upload(org, field("purpose", "user_data"), field("user", "another-user"), file(erasedMidway()));
    clock.advance(10);
    await upload(org, field("purpose", "user_data"), field("user", "leaving-user"), file(chunks("after\n")));
    expect(await t.db.file.count({ where: { organizationId: org } })).toBe(2);
  });

  it("ignores fields it does not know, as OpenAI does", async () => {
    const org = await newOrg();
    const stored = await upload(org, field("purpose", "evals"), field("note", "hi"), file(chunks("x")));
    expect(stored.purpose).toBe("evals");
  });
});

describe("uploadFile against the tier's storage quota", () => {
  const text = (bytes: number) => "q".repeat(bytes);
  const uploadBytes = (org: string, bytes: number) =>
    upload(org, field("purpose", "batch"), file(chunks(text(bytes))));

  /** Only these files are left, as records and as bytes: a refused upload kept nothing. */
  async function expectStoredOnly(organizationId: string, ids: string[]) {
    const records = await t.db.file.findMany({ where: { organizationId }, select: { id: true } });
    expect(records.map((record) => record.id).sort()).toEqual([...ids].sort());
    expect((await readdir(dir)).filter((name) => name !== ".partial").sort()).toEqual([...ids].sort());
    expect(await readdir(path.join(dir, ".partial"))).toEqual([]);
  }

  it("takes uploads up to the quota exactly, and refuses the one that would cross it with 413", async () => {
    const org = await newOrg("cramped");
    const first = await uploadBytes(org, 1000);
    const second = await uploadBytes(org, 1000);
    // 500 bytes left: the stream is stopped once it passes them, the rest never read
    const error = await refusal(
      upload(org, field("purpose", "batch"), file(chunks(text(400), text(101), new Error("never read")))),
    );
    expect(error).toMatchObject({
      code: "payload_too_large",
      param: "file",
      reason: "storage_quota_exceeded",
    });
    expect(error.message).toContain("2500 bytes");
    await expectStoredOnly(org, [first.id, second.id]);
    const last = await uploadBytes(org, 500);
    await expectStoredOnly(org, [first.id, second.id, last.id]);
  });

  it("refuses an upload when the quota is full before reading a byte", async () => {
    const org = await newOrg("cramped");
    const kept = await Promise.all([uploadBytes(org, 1000), uploadBytes(org, 1000), uploadBytes(org, 500)]);
    const before = puts;
    const error = await refusal(uploadBytes(org, 1));
    expect(error.reason).toBe("storage_quota_exceeded");
    expect(puts).toBe(before);
    await expectStoredOnly(
      org,
      kept.map((stored) => stored.id),
    );
  });

  it("still answers file_too_large for a file over the plan's size while the quota has more room", async () => {
    const org = await newOrg("cramped");
    const error = await refusal(uploadBytes(org, 1001));
    expect(error.reason).toBe("file_too_large");
    await expectStoredOnly(org, []);
  });

  it("keeps only one of two concurrent uploads that fit alone but not together", async () => {
    const org = await newOrg("cramped");
    const kept = await uploadBytes(org, 1000);
    // both uploads have passed the check before the stream (1500 bytes left each time they
    // looked) before either finishes: only the check where the record is written can tell
    let arrived = 0;
    let release = () => {};
    const bothStreaming = new Promise<void>((resolve) => {
      release = resolve;
    });
    async function* gated(bytes: number) {
      yield Buffer.from(text(1));
      arrived += 1;
      if (arrived === 2) release();
      await bothStreaming;
      yield Buffer.from(text(bytes - 1));
    }
    const results = await Promise.allSettled([
      upload(org, field("purpose", "batch"), file(gated(1000))),
      upload(org, field("purpose", "batch"), file(gated(1000))),
    ]);
    const stored = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
    const refused = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    expect(stored).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ code: "payload_too_large", reason: "storage_quota_exceeded" });
    await expectStoredOnly(org, [kept.id, (stored[0] as { id: string }).id]);
  });

  it("counts live files only: deleting a file frees its bytes, an expired one no longer counts", async () => {
    const org = await newOrg("cramped");
    const a = await uploadBytes(org, 1000);
    const b = await uploadBytes(org, 1000);
    const c = await uploadBytes(org, 500);
    expect((await refusal(uploadBytes(org, 1000))).reason).toBe("storage_quota_exceeded");

    await deleteFile(deps, { organizationId: org, fileId: a.id, actor });
    const d = await uploadBytes(org, 1000);
    await expectStoredOnly(org, [b.id, c.id, d.id]);

    // expired: gone for readers, its bytes waiting for the purge, and not the organization's burden
    await t.db.file.update({ where: { id: b.id }, data: { expiresAt: new Date(clock.now().getTime() - 1) } });
    const e = await uploadBytes(org, 1000);
    expect(e.bytes).toBe(1000n);
  });

  it("leaves an organization on an unlimited tier unchecked", async () => {
    const unlimited = await t.db.tier.create({
      data: { id: "tier_roomy", slug: "roomy", name: "Roomy", requestsPerMinute: 5, maxFileBytes: 1000n },
    });
    expect(unlimited.maxStorageBytes).toBeNull();
    const org = await newOrg("roomy");
    for (let i = 0; i < 4; i++) await uploadBytes(org, 1000);
    expect(await t.db.file.count({ where: { organizationId: org } })).toBe(4);
  });
});

describe("fileExpiry", () => {
  const at = new Date("2026-03-01T00:00:00Z");
  const tier = { fileRetentionDays: 7 };
  const after = (ms: number) => new Date(at.getTime() + ms);

  it("defaults to the tier's retention, or the organization's when shorter", () => {
    expect(fileExpiry(at, { fileRetentionDays: null, tier }, undefined)).toEqual(after(7 * DAY));
    expect(fileExpiry(at, { fileRetentionDays: 2, tier }, undefined)).toEqual(after(2 * DAY));
    expect(fileExpiry(at, { fileRetentionDays: 30, tier }, undefined)).toEqual(after(7 * DAY));
  });

  it("honours the request, capped by the organization's own retention", () => {
    expect(fileExpiry(at, { fileRetentionDays: null, tier }, 30 * 86_400)).toEqual(after(30 * DAY));
    expect(fileExpiry(at, { fileRetentionDays: 1, tier }, 3 * 86_400)).toEqual(after(DAY));
    expect(fileExpiry(at, { fileRetentionDays: 1, tier }, 3600)).toEqual(after(3_600_000));
  });
});

describe("normalizeContentType", () => {
  it("keeps a well-formed media type without parameters and falls back to octet-stream", () => {
    expect(normalizeContentType("Application/JSON; charset=utf-8")).toBe("application/json");
    expect(normalizeContentType("image/png")).toBe("image/png");
    expect(normalizeContentType("text/html\r\nx-evil: 1")).toBe("application/octet-stream");
    expect(normalizeContentType("nonsense")).toBe("application/octet-stream");
    expect(normalizeContentType(undefined)).toBe("application/octet-stream");
  });
});
