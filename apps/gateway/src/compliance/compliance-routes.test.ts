import { UserExportSchema } from "@dsc/api-client";
import { allSubjectErasers, type MemoryResponseCache, processDeletionRequests, systemClock } from "@dsc/core";
import OpenAI, { toFile } from "openai";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

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

const call = (method: string, path: string, key = secret) =>
  fetch(`${gateway.url}${path}`, { method, headers: { authorization: `Bearer ${key}` } });

describe("DELETE /v1/users/{user}", () => {
  it("opens an erasure due in 72 hours, and returns the same request while it is pending", async () => {
    const response = await call("DELETE", "/v1/users/user-123");
    expect(response.status).toBe(202);
    const body = await jsonOf<Record<string, unknown> & { due_at: number; created_at: number; id: string }>(
      response,
    );
    expect(body).toMatchObject({
      object: "deletion_request",
      subject: { type: "end_user", id: "user-123" },
      status: "pending",
      completed_at: null,
      report: null,
    });
    expect(body.id).toMatch(/^delreq_/);
    expect(body.due_at - body.created_at).toBe(72 * 3600);

    const again = await jsonOf<{ id: string }>(await call("DELETE", "/v1/users/user-123"));
    expect(again.id).toBe(body.id);

    const status = await call("GET", `/v1/deletion_requests/${body.id}`);
    expect(status.status).toBe(200);
    expect(await jsonOf(status)).toMatchObject({ id: body.id, status: "pending" });
  });

  it("is carried out by the worker, down to the answers this gateway cached in its memory", async () => {
    const ask = (user: string) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "deepseek-chst-1.0",
          temperature: 0,
          user,
          messages: [{ role: "user", content: "remember me" }],
        }),
      });
    const cache = gateway.metering.cache as MemoryResponseCache;
    const before = cache.listEntries().length;
    for (const user of ["erin", "frank"]) expect((await ask(user)).status).toBe(200);
    // the answers are stored once they have been sent
    await vi.waitFor(() => expect(cache.listEntries().length).toBe(before + 2));

    const { id } = await jsonOf<{ id: string }>(await call("DELETE", "/v1/users/erin"));
    // the worker's pass as apps/worker runs it without Redis: no shared cache of its own to purge,
    // told the gateways' cache TTL; its clock is moved by hand
    const workerClock = fakeClock(new Date());
    const ttlMs = gateway.metering.cacheTtlMs;
    const erasers = allSubjectErasers({
      db: t.db,
      clock: workerClock,
      storage: gateway.fileStorage,
      cache: null,
      cacheTtlMs: ttlMs,
    });
    const work = () => processDeletionRequests({ db: t.db, clock: workerClock, erasers });
    // (user-123's request of the first test is erased alongside)
    expect(await work()).toMatchObject({ failed: 0, completed: 0 });
    await vi.waitFor(() => expect(cache.listEntries().length).toBe(before + 1), { timeout: 2_000 });
    expect((await ask("frank")).headers.get("x-cache")).toBe("hit");
    expect((await ask("erin")).headers.get("x-cache")).toBe("miss");
    // no gateway confirms its purge, so the request waits out the cache TTL, and says so
    expect(await jsonOf(await call("GET", `/v1/deletion_requests/${id}`))).toMatchObject({
      status: "pending",
      waiting_for: { step: "cache_expiry", until: Math.floor((workerClock.now().getTime() + ttlMs) / 1000) },
      report: null,
    });
    workerClock.advance(ttlMs);
    expect(await work()).toMatchObject({ failed: 0, waiting: 0 });
    const completed = await jsonOf<Record<string, unknown>>(await call("GET", `/v1/deletion_requests/${id}`));
    expect(completed).toMatchObject({ status: "completed" });
    expect(completed).not.toHaveProperty("waiting_for");
  });

  it("includes the files uploaded for a user, and erases them with the user", async () => {
    const form = new FormData();
    form.append("purpose", "user_data");
    form.append("user", "g".repeat(257));
    form.append("file", new Blob(["notes of gina"]), "notes.txt");
    const tooLong = await fetch(`${gateway.url}/v1/files`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}` },
      body: form,
    });
    expect(tooLong.status).toBe(400);
    expect(await jsonOf(tooLong)).toMatchObject({ error: { param: "user" } });
    // the SDK sends a field its types do not know as one more form field
    const client = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
    const file = await client.files.create({
      file: await toFile(Buffer.from("notes of gina"), "notes.txt"),
      purpose: "user_data",
      user: "gina",
    } as Parameters<typeof client.files.create>[0]);
    const exported = UserExportSchema.parse(await (await call("GET", "/v1/users/gina/export")).json());
    expect(exported.files.map((entry) => entry.id)).toEqual([file.id]);

    await call("DELETE", "/v1/users/gina");
    const erasers = allSubjectErasers({
      db: t.db,
      clock: systemClock,
      storage: gateway.fileStorage,
      cache: null,
      cacheTtlMs: gateway.metering.cacheTtlMs,
    });
    expect(await processDeletionRequests({ db: t.db, clock: systemClock, erasers })).toMatchObject({
      failed: 0,
    });
    expect((await call("GET", `/v1/files/${file.id}`)).status).toBe(404);
  });

  it("hides another organization's requests", async () => {
    const { secret: other } = await createOrgWithKey(t.db, { scopes: ["users:delete"] });
    const { id } = await jsonOf<{ id: string }>(await call("DELETE", "/v1/users/someone"));
    const response = await call("GET", `/v1/deletion_requests/${id}`, other);
    expect(response.status).toBe(404);
  });
});

describe("GET /v1/users/{user}/export", () => {
  it("returns the user's data and records the export in the audit trail", async () => {
    const response = await call("GET", "/v1/users/user-456/export");
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toMatchObject({
      object: "user_export",
      user: "user-456",
      chat_logs: [],
      files: [],
    });
    expect(
      await t.db.auditEvent.count({
        where: { organizationId, action: "subject.export", targetId: "user-456" },
      }),
    ).toBe(1);
  });

  it("streams the user's conversations, decrypted, as one UserExport document", async () => {
    const asks = ["first question", "second question", "third question"];
    for (const content of asks) {
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: "POST",
        headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
        body: JSON.stringify({
          model: "deepseek-chst-1.0",
          user: "user-789",
          messages: [{ role: "user", content }],
        }),
      });
      expect(response.status).toBe(200);
    }
    await gateway.chatLogs.flush();

    const response = await call("GET", "/v1/users/user-789/export");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const exported = UserExportSchema.parse(await response.json());
    expect(exported).toMatchObject({ object: "user_export", user: "user-789", files: [] });
    // turns of one millisecond have no order of their own (the core test checks the paging)
    const asked = exported.chat_logs.map((log) => (log.messages as { content: string }[])[0]?.content);
    expect(asked.sort()).toEqual(asks);
    expect(exported.chat_logs.every((log) => log.usage.prompt_tokens > 0)).toBe(true);
  });
});
