import { createS3FileStorage, type FileStorage } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { type FakeS3, startFakeS3 } from "../../../../test/support/fake-s3.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

/** The tier's storage quota over HTTP, on both backends: 413 in OpenAI's shape, nothing kept. */
const MiB = 1024 * 1024;
let t: TestDatabase;
let fakeS3: FakeS3;

beforeAll(async () => {
  t = await createTestDatabase();
  fakeS3 = await startFakeS3();
  await t.db.tier.create({
    data: {
      id: "tier_quota",
      slug: "quota",
      name: "Quota",
      requestsPerMinute: 100_000,
      maxFileBytes: BigInt(8 * MiB),
      maxStorageBytes: BigInt(13 * MiB),
    },
  });
});
afterAll(() => fakeS3.close());

const storages: Record<string, () => FileStorage | undefined> = {
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

describe.each(["disk", "s3"])("the storage quota on %s storage", (kind) => {
  let gateway: Awaited<ReturnType<typeof startTestGateway>>;
  let caller: { orgId: string; secret: string };

  beforeAll(async () => {
    gateway = await startTestGateway({ db: t.db, fileStorage: (storages[kind] as () => FileStorage)() });
    const { org, secret } = await createOrgWithKey(t.db, { tier: "quota" });
    caller = { orgId: org.id, secret };
  });
  afterAll(async () => {
    await gateway.close();
    await gateway.fileStorage.close();
  });

  const upload = (bytes: number) => {
    const form = new FormData();
    form.append("purpose", "batch");
    form.append("file", new Blob([Buffer.alloc(bytes, 7)]), "data.jsonl");
    return fetch(`${gateway.url}/v1/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${caller.secret}` },
      body: form,
    });
  };
  const storedKeys = async () => {
    const keys: string[] = [];
    for await (const object of gateway.fileStorage.list()) keys.push(object.key);
    return keys;
  };
  const recordIds = async () =>
    (await t.db.file.findMany({ where: { organizationId: caller.orgId }, select: { id: true } })).map(
      (file) => file.id,
    );

  it("refuses the upload that would cross the quota with 413, keeping no bytes and no record", async () => {
    // 7 MiB of 13: on S3 a multipart upload of two parts
    const first = await upload(7 * MiB);
    expect(first.status).toBe(200);
    const { id } = await jsonOf<{ id: string }>(first);

    // 6 MiB left: stopped past them, after a 5 MiB part went up on S3 (then aborted)
    const refused = await upload(7 * MiB);
    expect(refused.status).toBe(413);
    expect(refused.headers.get("x-request-id")).toBeTruthy();
    expect(await refused.json()).toEqual({
      error: {
        message: expect.stringContaining("13 MiB"),
        type: "invalid_request_error",
        param: "file",
        code: "storage_quota_exceeded",
      },
    });
    expect(await recordIds()).toEqual([id]);
    const keys = await storedKeys();
    expect(keys.filter((key) => key !== id && key.startsWith("file-"))).toEqual([]);
    if (kind === "s3") expect(await fakeS3.pendingUploads()).toBe(0);

    // deleting the file frees its bytes for the next upload
    const deleted = await fetch(`${gateway.url}/v1/files/${id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${caller.secret}` },
    });
    expect(deleted.status).toBe(200);
    const again = await upload(7 * MiB);
    expect(again.status).toBe(200);
    expect(await recordIds()).toEqual([(await jsonOf<{ id: string }>(again)).id]);
  });
});
