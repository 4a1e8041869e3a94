import type { FileObject } from "@dsc/api-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import type { GatewayDeps } from "../gateway-deps.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";
import { fileDeps } from "./file-route-context.ts";

/** Who sees which file, for how long, and how the download presents it. */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
const clock = fakeClock(new Date());
const HOUR = 3_600_000;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db, clock });
  await t.db.tier.create({
    data: {
      id: "tier_files",
      slug: "files",
      name: "Files",
      requestsPerMinute: 100_000,
      maxFileBytes: 1n << 20n,
    },
  });
});
afterAll(() => gateway.close());

async function caller() {
  const { secret, org } = await createOrgWithKey(t.db, { tier: "files", clock });
  const call = (method: string, url: string, body?: FormData) =>
    fetch(`${gateway.url}${url}`, { method, headers: { authorization: `Bearer ${secret}` }, body });
  const upload = async (content: string, filename: string, extra: Record<string, string> = {}) => {
    const form = new FormData();
    form.set("purpose", "user_data");
    for (const [name, value] of Object.entries(extra)) form.set(name, value);
    form.set("file", new Blob([content], { type: "text/plain" }), filename);
    const response = await call("POST", "/v1/files", form);
    expect(response.status).toBe(200);
    return jsonOf<FileObject>(response);
  };
  return { org, call, upload };
}

describe("isolation between organizations", () => {
  it("answers 404 for another organization's file on every route and never lists it", async () => {
    const owner = await caller();
    const stranger = await caller();
    const file = await owner.upload("private", "private.txt");
    for (const [method, url] of [
      ["GET", `/v1/files/${file.id}`],
      ["GET", `/v1/files/${file.id}/content`],
      ["DELETE", `/v1/files/${file.id}`],
    ] as const) {
      const response = await stranger.call(method, url);
      expect(response.status, `${method} ${url}`).toBe(404);
      expect((await jsonOf(response)).error).toMatchObject({ code: "file_not_found", param: "file_id" });
    }
    expect((await jsonOf<{ data: unknown[] }>(await stranger.call("GET", "/v1/files"))).data).toEqual([]);
    // still there for its owner
    expect((await owner.call("GET", `/v1/files/${file.id}`)).status).toBe(200);
  });
});

describe("expiry", () => {
  it("is 404 the moment expires_at passes, before any purge ran", async () => {
    const { call, upload } = await caller();
    const file = await upload("brief", "brief.txt", {
      "expires_after[anchor]": "created_at",
      "expires_after[seconds]": "3600",
    });
    expect(file.expires_at).toBe(file.created_at + 3600);
    clock.advance(HOUR - 1000);
    expect((await call("GET", `/v1/files/${file.id}/content`)).status).toBe(200);
    clock.advance(1000);
    for (const [method, url] of [
      ["GET", `/v1/files/${file.id}`],
      ["GET", `/v1/files/${file.id}/content`],
      ["DELETE", `/v1/files/${file.id}`],
    ] as const) {
      expect((await call(method, url)).status, `${method} ${url}`).toBe(404);
    }
    expect((await jsonOf<{ data: unknown[] }>(await call("GET", "/v1/files"))).data).toEqual([]);
    // the record is still there for the purge to find
    expect(await t.db.file.count({ where: { id: file.id } })).toBe(1);
  });
});

describe("GET /v1/files/{id}/content", () => {
  it("streams the bytes with their type, length and a Content-Disposition safe for any name", async () => {
    const { call, upload } = await caller();
    // (FormData itself escapes quotes and line breaks in names, per the HTML standard)
    const name = "résumé; v2 (final) 100%.txt";
    const file = await upload("bonjour", name);
    expect(file.filename).toBe(name);
    const response = await call("GET", `/v1/files/${file.id}/content`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/plain");
    expect(response.headers.get("content-length")).toBe("7");
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="r_sum_; v2 (final) 100_.txt"; filename*=UTF-8''r%C3%A9sum%C3%A9%3B%20v2%20%28final%29%20100%25.txt`,
    );
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await response.text()).toBe("bonjour");
  });
});

describe("HEAD /v1/files/{id}/content", () => {
  it("answers the download's headers without its bytes", async () => {
    const { call, upload } = await caller();
    const file = await upload("twelve bytes", "twelve.txt");
    const response = await call("HEAD", `/v1/files/${file.id}/content`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-length")).toBe("12");
    expect(response.headers.get("content-disposition")).toContain("twelve.txt");
    expect(await response.text()).toBe("");
  });
});

describe("GET /v1/files query", () => {
  it.each([
    ["limit=0", "limit"],
    ["limit=10001", "limit"],
    ["limit=ten", "limit"],
    ["order=sideways", "order"],
    ["after=file-doesnotexist", "after"],
  ])("refuses %s with 400 naming the parameter", async (query, param) => {
    const { call } = await caller();
    const response = await call("GET", `/v1/files?${query}`);
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error).toMatchObject({ type: "invalid_request_error", param });
  });

  it("answers an empty page in OpenAI's list shape", async () => {
    const { call } = await caller();
    expect(await jsonOf(await call("GET", "/v1/files?limit=10000&order=asc"))).toEqual({
      object: "list",
      data: [],
      first_id: null,
      last_id: null,
      has_more: false,
    });
  });
});

describe("without file storage", () => {
  it("the files API is unavailable (503), not broken", () => {
    expect(() => fileDeps({ db: t.db, clock } as unknown as GatewayDeps)).toThrowError(
      expect.objectContaining({ code: "unavailable" }),
    );
  });
});
