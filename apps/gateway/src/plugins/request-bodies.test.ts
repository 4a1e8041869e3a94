import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { rawRequest } from "../testing/raw-http.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";
import { MAX_JSON_DEPTH, nestsDeeperThan } from "./request-bodies.ts";

/** An empty body is no body, whatever its Content-Type says (the Python SDK's DELETE). */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let secret: string;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
  ({ secret } = await createOrgWithKey(t.db, { tier: "pro", scopes: ["chat", "files", "users:delete"] }));
});
afterAll(() => gateway.close());

function send(method: string, path: string, extra: Record<string, string> = {}, body?: string) {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${secret}`, ...extra },
    body,
  });
}

async function uploadFile(): Promise<string> {
  const form = new FormData();
  form.append("purpose", "batch");
  form.append("file", new Blob(["x"]), "x.txt");
  const response = await fetch(`${gateway.url}/v1/files`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}` },
    body: form,
  });
  expect(response.status).toBe(200);
  return (await jsonOf<{ id: string }>(response)).id;
}

describe("routes that take no body", () => {
  it.each([
    ["application/json", { "content-type": "application/json" }],
    ["application/json with a charset", { "content-type": "application/json; charset=utf-8" }],
    ["text/plain (no parser at all)", { "content-type": "text/plain" }],
    ["a form type", { "content-type": "application/x-www-form-urlencoded" }],
  ])("DELETE /v1/files/{id} with %s and an empty body: answered as without the header", async (_n, extra) => {
    const id = await uploadFile();
    const response = await send("DELETE", `/v1/files/${id}`, { ...extra, "content-length": "0" }, "");
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toEqual({ id, object: "file", deleted: true });
  });

  it("DELETE /v1/users/{id} with Content-Type: application/json and an empty body: 202", async () => {
    const plain = await send("DELETE", "/v1/users/python-sdk-user");
    const withHeader = await send(
      "DELETE",
      "/v1/users/python-sdk-user",
      { "content-type": "application/json" },
      "",
    );
    expect(withHeader.status).toBe(202);
    expect(await jsonOf(withHeader)).toEqual(await jsonOf(plain));
  });

  it("DELETE with Content-Type: application/json and an empty chunked body: 200", async () => {
    const id = await uploadFile();
    const answer = await rawRequest(
      gateway.url,
      `DELETE /v1/files/${id} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret}\r\n` +
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\n\r\n",
    );
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.replace(/^[0-9a-f]+\r\n|\r\n0\r\n\r\n$/g, ""))).toMatchObject({
      deleted: true,
    });
  });

  it("a DELETE whose body is not empty is still parsed, and bad JSON refused", async () => {
    const id = await uploadFile();
    const response = await send("DELETE", `/v1/files/${id}`, { "content-type": "application/json" }, "{");
    expect(response.status).toBe(400);
    expect((await jsonOf(response)).error).toMatchObject({ code: "invalid_json" });
  });
});

describe("routes that need a body", () => {
  it.each([
    ["Content-Type: application/json", { "content-type": "application/json" }],
    ["no Content-Type", {}],
  ])("POST /v1/chat/completions with %s and an empty body: 400 invalid_json", async (_name, extra) => {
    const response = await send("POST", "/v1/chat/completions", extra, "");
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect(await jsonOf(response)).toEqual({
      error: {
        message: expect.any(String),
        type: "invalid_request_error",
        param: null,
        code: "invalid_json",
      },
    });
  });
});

describe("JSON nested deeper than any request needs", () => {
  it("counts arrays and objects, not brackets inside strings", () => {
    expect(nestsDeeperThan("[[[]]]", 3)).toBe(false);
    expect(nestsDeeperThan("[[[[]]]]", 3)).toBe(true);
    expect(nestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 4)).toBe(false);
    expect(nestsDeeperThan('{"a":{"b":[1,{"c":2}]}}', 3)).toBe(true);
    expect(nestsDeeperThan(JSON.stringify({ text: '[[[[[[\\"{{{{' }), 1)).toBe(false);
  });

  it("is a 400 invalid_json before the route runs, nesting at the limit is parsed", async () => {
    const chat = (extra: string) =>
      send(
        "POST",
        "/v1/chat/completions",
        { "content-type": "application/json" },
        `{"model":"deepseek-chst-1.0","messages":[{"role":"user","content":"hi","x":${extra}}]}`,
      );
    const deep = await chat(`${"[".repeat(10_000)}${"]".repeat(10_000)}`);
    expect(deep.status).toBe(400);
    expect((await jsonOf(deep)).error).toMatchObject({ code: "invalid_json", type: "invalid_request_error" });
    // the body's own object, messages, the message: three levels around the extra field
    const atLimit = MAX_JSON_DEPTH - 3;
    expect((await chat(`${"[".repeat(atLimit)}${"]".repeat(atLimit)}`)).status).toBe(200);
  });
});
