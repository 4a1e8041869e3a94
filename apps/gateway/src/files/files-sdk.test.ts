import { createHash } from "node:crypto";
import { FileDeletedSchema, FileListSchema, FileObjectSchema } from "@dsc/api-client";
import { createS3FileStorage, type FileStorage } from "@dsc/core";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { type FakeS3, startFakeS3 } from "../../../../test/support/fake-s3.ts";
import { createOrgWithKey, startTestGateway } from "../testing/start-test-gateway.ts";

/** The official SDK against the gateway, once per storage backend. */
let t: TestDatabase;
let fakeS3: FakeS3;

beforeAll(async () => {
  t = await createTestDatabase();
  fakeS3 = await startFakeS3();
  // a plan whose rate limit these tests never reach
  await t.db.tier.create({
    data: {
      id: "tier_files",
      slug: "files",
      name: "Files",
      requestsPerMinute: 100_000,
      maxFileBytes: 10n << 20n,
    },
  });
});
afterAll(() => fakeS3.close());

const storages: Record<string, () => FileStorage | undefined> = {
  // startTestGateway's default: a disk storage in a temporary directory
  disk: () => undefined,
  s3: () =>
    createS3FileStorage({
      bucket: fakeS3.bucket,
      endpoint: fakeS3.endpoint,
      region: "us-east-1",
      credentials: fakeS3.credentials,
      forcePathStyle: true,
    }),
};

const sha256 = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");

describe.each(["disk", "s3"])("the openai SDK's files API on %s storage", (kind) => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let client: OpenAI;

  beforeAll(async () => {
    gateway = await startTestGateway({ db: t.db, fileStorage: (storages[kind] as () => FileStorage)() });
    const { secret } = await createOrgWithKey(t.db, { tier: "files" });
    client = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await gateway.fileStorage.close();
  });

  it("uploads, retrieves, downloads byte for byte, lists and deletes", async () => {
    // more than one 5 MiB part (a multipart upload on S3), not a multiple of any part or chunk
    // size, and every byte value
    const content = Buffer.alloc(5 * 1024 * 1024 + 300_001);
    for (let i = 0; i < content.length; i++) content[i] = (i * 7919) % 256;
    const created = await client.files.create({
      file: await toFile(content, "training data.jsonl", { type: "application/jsonl" }),
      purpose: "fine-tune",
    });
    expect(FileObjectSchema.parse(created)).toMatchObject({
      object: "file",
      bytes: content.length,
      filename: "training data.jsonl",
      purpose: "fine-tune",
      status: "processed",
    });
    expect(created.id).toMatch(/^file-[0-9A-Za-z]{24}$/);
    expect(created.expires_at).toBe(created.created_at + 7 * 86_400);

    expect(await client.files.retrieve(created.id)).toEqual(created);

    const response = await client.files.content(created.id);
    expect(response.headers.get("content-type")).toBe("application/jsonl");
    expect(response.headers.get("content-length")).toBe(String(content.length));
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="training data.jsonl"; filename*=UTF-8''training%20data.jsonl`,
    );
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(sha256(Buffer.from(await response.arrayBuffer()))).toBe(sha256(content));

    const listed = await client.files.list();
    expect(listed.data.map((file) => file.id)).toContain(created.id);

    const deleted = await client.files.delete(created.id);
    expect(FileDeletedSchema.parse(deleted)).toEqual({ id: created.id, object: "file", deleted: true });
    await expect(client.files.retrieve(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.files.content(created.id)).rejects.toMatchObject({ status: 404 });
    await expect(client.files.delete(created.id)).rejects.toMatchObject({ status: 404 });
  });

  it("sends expires_after and gets it back in expires_at", async () => {
    const created = await client.files.create({
      file: await toFile(Buffer.from('{"x":1}\n'), "batch.jsonl"),
      purpose: "batch",
      expires_after: { anchor: "created_at", seconds: 3600 },
    });
    expect(created.expires_at).toBe(created.created_at + 3600);
  });

  it("pages through the list with the SDK's cursor, newest first, filtered by purpose", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "files" });
    const own = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const ids: string[] = [];
    for (const name of ["one", "two", "three"]) {
      ids.push(
        (await own.files.create({ file: await toFile(Buffer.from(name), `${name}.txt`), purpose: "evals" }))
          .id,
      );
    }
    await own.files.create({ file: await toFile(Buffer.from("v"), "v.png"), purpose: "vision" });

    const first = await own.files.list({ purpose: "evals", limit: 2 });
    expect(first.data).toHaveLength(2);
    expect(first.has_more).toBe(true);
    const raw = await fetch(`${gateway.url}/v1/files?purpose=evals&limit=2`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    const page = FileListSchema.parse(await raw.json());
    expect(page).toMatchObject({ first_id: first.data[0]?.id, last_id: first.data[1]?.id, has_more: true });

    // newest first: by creation time, then id
    const rows = await t.db.file.findMany({
      where: { id: { in: ids } },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
    const seen: string[] = [];
    for await (const file of own.files.list({ purpose: "evals", limit: 2 })) seen.push(file.id);
    expect(seen).toEqual(rows.map((row) => row.id));
    const ascending = await own.files.list({ purpose: "evals", order: "asc" });
    expect(ascending.data.map((file) => file.id)).toEqual([...seen].reverse());
  });

  it("refuses an unknown purpose with the SDK's BadRequestError", async () => {
    await expect(
      client.files.create({ file: await toFile(Buffer.from("x"), "x.txt"), purpose: "memes" as "batch" }),
    ).rejects.toMatchObject({ status: 400, param: "purpose" });
  });
});
