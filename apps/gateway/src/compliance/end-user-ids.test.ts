import { isWellFormedText, UserExportSchema } from "@dsc/api-client";
import { allSubjectErasers, processDeletionRequests, systemClock } from "@dsc/core";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

/**
 * One end-user id, one rule: what chat and uploads accept as `user` can be exported and erased
 * through `/v1/users/{user}` in exactly the form sent, and what one route refuses every route
 * refuses with 400 naming `user`, before anything is stored.
 */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let secret: string;
let organizationId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
  const created = await createOrgWithKey(t.db, {
    tier: "pro",
    scopes: ["chat", "files", "users:delete", "users:export"],
  });
  secret = created.secret;
  organizationId = created.org.id;
});
afterAll(() => gateway.close());

const headers = () => ({ authorization: `Bearer ${secret}` });
const call = (method: string, path: string) => fetch(`${gateway.url}${path}`, { method, headers: headers() });
const userPath = (user: string) => `/v1/users/${encodeURIComponent(user)}`;

function chat(user: unknown, content = "hello") {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { ...headers(), "content-type": "application/json" },
    body: JSON.stringify({ model: "deepseek-chst-1.0", user, messages: [{ role: "user", content }] }),
  });
}

function upload(user: string) {
  const form = new FormData();
  form.append("purpose", "user_data");
  form.append("user", user);
  form.append("file", new Blob(["notes"]), "notes.txt");
  return fetch(`${gateway.url}/v1/files`, { method: "POST", headers: headers(), body: form });
}

/** The worker's erasers as apps/worker builds them without Redis, told this gateway's cache TTL. */
const workerErasers = () =>
  allSubjectErasers({
    db: t.db,
    clock: systemClock,
    storage: gateway.fileStorage,
    cache: null,
    cacheTtlMs: gateway.metering.cacheTtlMs,
  });

/** Waits until the user's logged turns are in the database (they are written off the answer's path). */
async function chatLogsWritten(user: string | null, count: number) {
  await gateway.chatLogs.flush();
  await vi.waitFor(
    async () => expect(await t.db.chatLog.count({ where: { organizationId, endUserId: user } })).toBe(count),
    { timeout: 5_000 },
  );
}

async function expectInvalid(response: Response, param: string) {
  const body = await jsonOf(response);
  expect(response.status, JSON.stringify(body)).toBe(400);
  expect(body.error).toMatchObject({ type: "invalid_request_error", param, code: "invalid_value" });
  expect(response.headers.get("x-request-id")).toMatch(/^req_/);
}

describe("an end-user id of up to 256 characters, exactly as sent", () => {
  it.each([
    ["256 ASCII characters", "u".repeat(256)],
    ["256 characters that percent-encode to 9 each", "€".repeat(256)],
    ["emoji (surrogate pairs) up to 256 code units", "😀".repeat(128)],
    ["spaces around it, kept", "  padded user  "],
    ["URL-significant characters", "a/b?c#d%e&f=g+h"],
  ])("%s: chat, upload, export and erasure all use the same id", async (_name, user) => {
    expect((await chat(user)).status).toBe(200);
    const uploaded = await upload(user);
    expect(uploaded.status, await uploaded.clone().text()).toBe(200);
    const file = await jsonOf<{ id: string }>(uploaded);
    await chatLogsWritten(user, 1);

    const exported = await call("GET", `${userPath(user)}/export`);
    expect(exported.status).toBe(200);
    const data = UserExportSchema.parse(await exported.json());
    expect(data.user).toBe(user);
    expect(data.chat_logs).toHaveLength(1);
    expect(data.files.map((entry) => entry.id)).toEqual([file.id]);

    const deletion = await call("DELETE", userPath(user));
    expect(deletion.status).toBe(202);
    expect((await jsonOf<{ subject: { id: string } }>(deletion)).subject.id).toBe(user);
    expect(
      await processDeletionRequests({ db: t.db, clock: systemClock, erasers: workerErasers() }),
    ).toMatchObject({
      failed: 0,
    });
    expect(await t.db.chatLog.count({ where: { organizationId, endUserId: user } })).toBe(0);
    expect(await t.db.file.count({ where: { organizationId, endUserId: user } })).toBe(0);
  });

  it("erases only the id sent: ' ann' and 'ann' are two users", async () => {
    for (const user of ["ann", " ann"]) expect((await chat(user)).status).toBe(200);
    await chatLogsWritten("ann", 1);
    await chatLogsWritten(" ann", 1);
    const deletion = await jsonOf<{ subject: { id: string } }>(await call("DELETE", userPath(" ann")));
    expect(deletion.subject.id).toBe(" ann");
    await processDeletionRequests({ db: t.db, clock: systemClock, erasers: workerErasers() });
    expect(await t.db.chatLog.count({ where: { organizationId, endUserId: " ann" } })).toBe(0);
    expect(await t.db.chatLog.count({ where: { organizationId, endUserId: "ann" } })).toBe(1);
  });
});

describe("an id the API refuses is refused by every route alike", () => {
  it.each([
    ["257 characters", "u".repeat(257)],
    ["a NUL byte", "a\u0000b"],
    ["a lone high surrogate", "\ud800"],
    ["a lone low surrogate", "x\udc00y"],
    ["a newline", "a\nb"],
  ])("%s: 400 naming 'user' on chat, upload, export and erasure, nothing stored", async (_name, user) => {
    const before = await t.db.deletionRequest.count({ where: { organizationId } });
    await expectInvalid(await chat(user), "user");
    // forms and paths carry UTF-8, which has no form for a lone surrogate (encoders send
    // U+FFFD instead: another, valid id), so those reach only JSON bodies
    if (isWellFormedText(user)) {
      await expectInvalid(await upload(user), "user");
      await expectInvalid(await call("GET", `${userPath(user)}/export`), "user");
      await expectInvalid(await call("DELETE", userPath(user)), "user");
    }
    expect(await t.db.deletionRequest.count({ where: { organizationId } })).toBe(before);
  });

  it("an empty user on chat or upload names nobody, as OpenAI takes it: answered, kept without an end user", async () => {
    const before = await t.db.chatLog.count({ where: { organizationId, endUserId: null } });
    expect((await chat("")).status).toBe(200);
    expect((await upload("")).status).toBe(200);
    await chatLogsWritten(null, before + 1);
    expect(await t.db.chatLog.count({ where: { organizationId, endUserId: "" } })).toBe(0);
    expect(await t.db.file.count({ where: { organizationId, endUserId: "" } })).toBe(0);
  });
});

describe("free text with NUL and unpaired surrogates", () => {
  it("is answered and its conversation kept, sealed, and exported exactly", async () => {
    const content = "before\u0000after \ud800 and \udfff end";
    expect((await chat("text-user", content)).status).toBe(200);
    await chatLogsWritten("text-user", 1);
    const exported = UserExportSchema.parse(await (await call("GET", "/v1/users/text-user/export")).json());
    expect(exported.chat_logs.map((log) => (log.messages as { content: string }[])[0]?.content)).toEqual([
      content,
    ]);
  });

  it("a model name with NUL is refused with 400 naming 'model' (it would be stored with the usage)", async () => {
    await expectInvalid(
      await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { ...headers(), "content-type": "application/json" },
        body: JSON.stringify({ model: "gpt\u0000x", messages: [{ role: "user", content: "hi" }] }),
      }),
      "model",
    );
  });
});

describe("ids and cursors of files and deletion requests that cannot be ours", () => {
  it.each([
    ["a NUL byte", "file-%00"],
    ["an unpaired surrogate, encoded as UTF-8 of one", "file-%ED%A0%80"],
    ["a length no id has", `file-${"x".repeat(200)}`],
  ])("%s: 404 file_not_found on every file route, in the API's shape", async (_name, id) => {
    for (const [method, path] of [
      ["GET", `/v1/files/${id}`],
      ["GET", `/v1/files/${id}/content`],
      ["DELETE", `/v1/files/${id}`],
    ] as const) {
      const response = await call(method, path);
      expect(response.status, `${method} ${path}`).toBe(response.status === 400 ? 400 : 404);
      const body = await jsonOf(response);
      expect(body.error.type).toBe("invalid_request_error");
      expect(response.headers.get("x-request-id")).toMatch(/^req_/);
      if (response.status === 404)
        expect(body.error).toMatchObject({ code: "file_not_found", param: "file_id" });
    }
  });

  it("a NUL byte in the list cursor: 400 naming 'after'", async () => {
    await expectInvalid(await call("GET", "/v1/files?after=file-%00"), "after");
  });

  it("a NUL byte in a deletion request id: 404 in the API's shape", async () => {
    const response = await call("GET", "/v1/deletion_requests/delreq_%00");
    expect(response.status).toBe(404);
    expect((await jsonOf(response)).error).toMatchObject({ type: "invalid_request_error", param: "id" });
  });
});
