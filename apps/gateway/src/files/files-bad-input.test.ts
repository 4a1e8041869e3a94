import { randomBytes } from "node:crypto";
import { EventEmitter, once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { createDiskFileStorage, type FileStorage } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

/** Every bad upload the issue lists, over raw HTTP, each proven to leave no record and no bytes. */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let dir: string;
let caller: { orgId: string; secret: string };
const puts: { key: string; outcome: Promise<"stored" | Error> }[] = [];
const deletions: Promise<void>[] = [];
/** "put" (key) when an upload starts writing, "deleted" (key) when bytes have been removed */
const storageEvents = new EventEmitter();

beforeAll(async () => {
  t = await createTestDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), "dsc-bad-uploads-"));
  const disk = createDiskFileStorage({ directory: dir });
  // a storage that reports what the gateway does with it, so tests await events, not time
  const storage: FileStorage = {
    ...disk,
    put(key, content, options) {
      const stored = disk.put(key, content, options);
      puts.push({
        key,
        outcome: stored.then(
          () => "stored" as const,
          (error: Error) => error,
        ),
      });
      storageEvents.emit("put", key);
      return stored;
    },
    delete(key) {
      const deleted = disk.delete(key).then(() => void storageEvents.emit("deleted", key));
      deletions.push(deleted);
      return deleted;
    },
  };
  gateway = await startTestGateway({ db: t.db, fileStorage: storage });
  await t.db.tier.create({
    data: { id: "tier_small", slug: "small", name: "Small", requestsPerMinute: 100_000, maxFileBytes: 1024n },
  });
  const { org, secret } = await createOrgWithKey(t.db, { tier: "small" });
  caller = { orgId: org.id, secret };
});
afterAll(async () => {
  await gateway.close();
  await rm(dir, { recursive: true, force: true });
});

type Part =
  | { name: string; value: string }
  | { name: string; filename?: string; type?: string; data: Buffer }
  /** a part's header lines exactly as given, for parts no client library would write */
  | { rawHead: string; data: Buffer };

/** A multipart body written by hand, so that tests can send what FormData would never produce. */
function multipart(parts: Part[], boundary = `dsc${randomBytes(8).toString("hex")}`) {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    if ("rawHead" in part) {
      chunks.push(
        Buffer.from(`--${boundary}\r\n${part.rawHead}\r\n\r\n`, "utf8"),
        part.data,
        Buffer.from("\r\n"),
      );
      continue;
    }
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if ("data" in part) {
      if (part.filename !== undefined) head += `; filename="${part.filename}"`;
      head += `\r\nContent-Type: ${part.type ?? "application/octet-stream"}`;
    }
    chunks.push(Buffer.from(`${head}\r\n\r\n`, "utf8"));
    chunks.push("data" in part ? part.data : Buffer.from(part.value, "utf8"));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function post(body: Buffer | string, contentType?: string) {
  const headers: Record<string, string> = { authorization: `Bearer ${caller.secret}` };
  if (contentType) headers["content-type"] = contentType;
  return fetch(`${gateway.url}/v1/files`, { method: "POST", headers, body });
}

const upload = (parts: Part[]) => {
  const { body, contentType } = multipart(parts);
  return post(body, contentType);
};
const purpose = (value = "batch"): Part => ({ name: "purpose", value });
const file = (data: Buffer | string = "hello", filename = "hello.txt"): Part => ({
  name: "file",
  filename,
  type: "text/plain",
  data: Buffer.from(data),
});

async function expectError(response: Response, status: number, expected: Record<string, unknown>) {
  const body = await jsonOf(response);
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(body.error).toMatchObject({ type: "invalid_request_error", ...expected });
  expect(response.headers.get("x-request-id")).toMatch(/^req_/);
}

/** No record and, once every storage call has settled, no object or partial file on disk. */
async function expectNothingKept() {
  await Promise.all(puts.map((put) => put.outcome));
  await Promise.all(deletions);
  expect(await t.db.file.count({ where: { organizationId: caller.orgId } })).toBe(0);
  expect((await readdir(dir)).filter((name) => name !== ".partial")).toEqual([]);
  expect(await readdir(path.join(dir, ".partial")).catch(() => [])).toEqual([]);
}

describe("POST /v1/files refuses bad input with OpenAI's error and keeps nothing", () => {
  it.each<[string, Part[], Record<string, unknown>]>([
    ["no file field", [purpose()], { param: "file", code: "missing_required_parameter" }],
    ["an empty file", [purpose(), file("")], { param: "file", code: "empty_file" }],
    ["no purpose", [file()], { param: "purpose", code: "missing_required_parameter" }],
    ["an unknown purpose", [purpose("memes"), file()], { param: "purpose", code: "invalid_value" }],
    ["a purpose after the file", [file(), purpose("assistants_output")], { param: "purpose" }],
    [
      "expires_after[seconds] below 3600",
      [
        purpose(),
        { name: "expires_after[anchor]", value: "created_at" },
        { name: "expires_after[seconds]", value: "3599" },
        file(),
      ],
      { param: "expires_after[seconds]", code: "invalid_value" },
    ],
    [
      "expires_after[seconds] above 30 days",
      [
        purpose(),
        { name: "expires_after[anchor]", value: "created_at" },
        { name: "expires_after[seconds]", value: "2592001" },
        file(),
      ],
      { param: "expires_after[seconds]", code: "invalid_value" },
    ],
    [
      "an anchor without seconds",
      [purpose(), { name: "expires_after[anchor]", value: "created_at" }, file()],
      { param: "expires_after[seconds]", code: "missing_required_parameter" },
    ],
    [
      "a filename with a path",
      [purpose(), file("x", "../../etc/passwd")],
      { param: "file", code: "invalid_filename" },
    ],
    [
      "a filename with a backslash",
      [purpose(), file("x", "..\\\\boot.ini")],
      { param: "file", code: "invalid_filename" },
    ],
    [
      "a filename with a control character",
      [purpose(), file("x", "a\u0001b.txt")],
      { code: "invalid_filename" },
    ],
    [
      "a filename of 1,000 characters",
      [purpose(), file("x", "x".repeat(1000))],
      { code: "invalid_filename" },
    ],
    [
      "a file without a filename",
      [purpose(), { name: "file", data: Buffer.from("x") }],
      { code: "invalid_filename" },
    ],
    [
      "the file as a text field",
      [purpose(), { name: "file", value: "hello" }],
      { param: "file", code: "invalid_value" },
    ],
    ["two files", [purpose(), file("a"), file("b")], { param: "file" }],
    ["a file under another field name", [purpose(), { ...file(), name: "document" }], { param: "document" }],
  ])("%s: 400", async (_name, parts, expected) => {
    await expectError(await upload(parts), 400, expected);
    await expectNothingKept();
  });

  const raw = (rawHead: string, data = "hello"): Part => ({ rawHead, data: Buffer.from(data) });
  it.each<[string, Part[], Record<string, unknown>]>([
    [
      "a file part without a name",
      [purpose(), raw('Content-Disposition: form-data; filename="a.txt"\r\nContent-Type: text/plain')],
      { code: "invalid_multipart" },
    ],
    [
      "a text part without a name",
      [raw("Content-Disposition: form-data"), purpose(), file()],
      { code: "invalid_multipart" },
    ],
    [
      "a part with an empty name",
      [raw('Content-Disposition: form-data; name=""'), purpose(), file()],
      { code: "invalid_multipart" },
    ],
    ["an empty filename", [purpose(), file("x", "")], { param: "file", code: "invalid_filename" }],
    ["purpose twice", [purpose(), purpose("batch"), file()], { param: "purpose", code: "invalid_value" }],
    [
      "user twice",
      [purpose(), { name: "user", value: "a" }, { name: "user", value: "b" }, file()],
      { param: "user", code: "invalid_value" },
    ],
    ["a NUL in purpose", [purpose("batch\u0000"), file()], { param: "purpose", code: "invalid_value" }],
    ["a NUL in user", [purpose(), { name: "user", value: "a\u0000b" }, file()], { param: "user" }],
    [
      "a NUL in the filename",
      [purpose(), file("x", "a\u0000.txt")],
      { param: "file", code: "invalid_filename" },
    ],
    [
      "a NUL in the expiry",
      [
        purpose(),
        { name: "expires_after[anchor]", value: "created_at\u0000" },
        { name: "expires_after[seconds]", value: "3600" },
        file(),
      ],
      { param: "expires_after[anchor]" },
    ],
    [
      "a field value over 1 KB",
      [purpose(), { name: "user", value: "u".repeat(2000) }, file()],
      { param: "user" },
    ],
    [
      "17 fields",
      [purpose(), ...Array.from({ length: 16 }, (_, i) => ({ name: `extra${i}`, value: "1" })), file()],
      { code: "invalid_multipart" },
    ],
    ["33 parts", [purpose(), ...Array.from({ length: 32 }, (_, i) => ({ ...file(), name: `f${i}` }))], {}],
  ])("%s: 400", async (_name, parts, expected) => {
    await expectError(await upload(parts), 400, expected);
    await expectNothingKept();
  });

  it.each([
    ["only the closing boundary", (boundary: string) => `--${boundary}--\r\n`],
    [
      "a part whose headers never end",
      (boundary: string) => `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n`,
    ],
    [
      "no closing boundary",
      (boundary: string) =>
        `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n`,
    ],
  ])("a multipart body with %s: 400", async (_name, body) => {
    const boundary = "dscboundary";
    const response = await post(body(boundary), `multipart/form-data; boundary=${boundary}`);
    await expectError(response, 400, {});
    await expectNothingKept();
  });

  it("a file over the plan's maximum: 413 while the client is still sending, partial bytes removed", async () => {
    // 4 MiB against a 1 KiB limit: the answer comes long before the body ends
    const response = await upload([purpose(), file(randomBytes(4 * 1024 * 1024))]);
    await expectError(response, 413, { param: "file", code: "file_too_large" });
    await expectNothingKept();
  });

  it("a client that reads only after sending its whole body still gets the 413", async () => {
    // more than the loopback socket buffers hold: unless the gateway reads and drops the rest
    // of a refused body, this client never finishes writing and never reads the answer
    const { body, contentType } = multipart([purpose(), file(Buffer.alloc(48 * 1024 * 1024, 7))]);
    const { port } = new URL(gateway.url);
    const socket = net.connect(Number(port), "127.0.0.1");
    socket.on("error", () => {}); // a failure shows as the missing answer
    await once(socket, "connect");
    socket.write(
      `POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${caller.secret}\r\n` +
        `Content-Type: ${contentType}\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    await new Promise<void>((resolve, reject) =>
      socket.write(body, (error) => (error ? reject(error) : resolve())),
    );
    const [head] = (await once(socket, "data")) as [Buffer];
    socket.destroy();
    expect(head.toString("latin1")).toMatch(/^HTTP\/1\.1 413 /);
    await expectNothingKept();
  }, 15_000);

  it.each([
    ["a body cut off mid-part", (body: Buffer) => body.subarray(0, body.length - 40)],
    ["garbage instead of parts", () => Buffer.from("this is not multipart at all")],
  ])("malformed multipart, %s: 400 invalid_multipart", async (_name, mangle) => {
    const { body, contentType } = multipart([purpose(), file("x".repeat(500))]);
    const response = await post(mangle(body), contentType);
    await expectError(response, 400, {});
    await expectNothingKept();
  });

  it("multipart without a boundary: 400", async () => {
    await expectError(await post("--x\r\n", "multipart/form-data"), 400, { code: "invalid_multipart" });
  });

  it.each([
    ["application/json", JSON.stringify({ purpose: "batch", file: "hello" })],
    ["text/plain", "hello"],
    ["application/x-www-form-urlencoded", "purpose=batch&file=hello"],
  ])("a %s body: 415", async (contentType, body) => {
    await expectError(await post(body, contentType), 415, { code: "unsupported_media_type" });
    await expectNothingKept();
  });

  it("no body and no content type: 415", async () => {
    await expectError(await post(""), 415, { code: "unsupported_media_type" });
  });
});

describe("POST /v1/files with clients that go away or race", () => {
  /**
   * Sends the start of an upload with node:http and hangs up once the gateway has started
   * writing the file ("started") or has stored all of it ("stored").
   */
  async function disconnectMidUpload(parts: Part[], sent: number, hangUpWhen: "started" | "stored") {
    const { body, contentType } = multipart(parts);
    const [started] = [once(storageEvents, "put")];
    const request = http.request(`${gateway.url}/v1/files`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${caller.secret}`,
        "content-type": contentType,
        "content-length": String(body.length),
      },
    });
    request.on("error", () => {}); // the hang-up is the point
    request.write(body.subarray(0, body.length - sent));
    const [key] = (await started) as [string];
    const outcome = puts.find((put) => put.key === key)?.outcome;
    if (hangUpWhen === "stored") expect(await outcome).toBe("stored");
    request.destroy();
    return { key, outcome };
  }

  it("hang-up in the middle of the file: no record, no bytes", async () => {
    const { outcome } = await disconnectMidUpload([purpose(), file(Buffer.alloc(900, 1))], 300, "started");
    expect(await outcome).toBeInstanceOf(Error);
    await expectNothingKept();
  });

  it("hang-up after the whole file, before the form ends: the stored bytes are removed again", async () => {
    const deleted = once(storageEvents, "deleted");
    const { key } = await disconnectMidUpload([file(Buffer.alloc(900, 2)), purpose()], 20, "stored");
    expect(await deleted).toEqual([key]);
    await expectNothingKept();
  });

  it("parallel uploads of the same content make two files with the same digest", async () => {
    const responses = await Promise.all([
      upload([purpose(), file("same")]),
      upload([purpose(), file("same")]),
    ]);
    const [a, b] = await Promise.all(responses.map((response) => jsonOf<{ id: string }>(response)));
    expect(responses.map((response) => response.status)).toEqual([200, 200]);
    expect(a?.id).not.toBe(b?.id);
    const rows = await t.db.file.findMany({ where: { id: { in: [a?.id ?? "", b?.id ?? ""] } } });
    expect(rows).toHaveLength(2);
    expect(rows[0]?.sha256).toBe(rows[1]?.sha256);
    await t.db.file.deleteMany({ where: { organizationId: caller.orgId } });
    for (const name of await readdir(dir)) if (name !== ".partial") await rm(path.join(dir, name));
  });
});
