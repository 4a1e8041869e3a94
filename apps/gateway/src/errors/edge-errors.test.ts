import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { rawRequest } from "../testing/raw-http.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

/** Requests refused before any route sees them still get the API's error shape and a request id. */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let secret: string;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db });
  ({ secret } = await createOrgWithKey(t.db));
});
afterAll(() => gateway.close());

function expectErrorShape(body: unknown) {
  expect(body).toEqual({
    error: {
      message: expect.any(String),
      type: "invalid_request_error",
      param: null,
      code: expect.any(String),
    },
  });
}

describe("requests Node's HTTP parser refuses", () => {
  it.each([
    ["an unknown method", "FROB /v1/models HTTP/1.1\r\nHost: x\r\n\r\n", 400, "unsupported_method"],
    ["a header line without a colon", "GET /v1/models HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400],
    [
      "a control character in a header value",
      "GET /v1/models HTTP/1.1\r\nHost: x\r\nX-A: a\u0001b\r\n\r\n",
      400,
    ],
    ["a space before the header colon", "GET /v1/models HTTP/1.1\r\nHost : x\r\n\r\n", 400],
    [
      "both Content-Length and chunked",
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
      400,
    ],
    [
      "a bad Content-Length",
      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 1x\r\n\r\n",
      400,
    ],
    ["a request line without a protocol", "GET /v1/models HTTX/1.1\r\nHost: x\r\n\r\n", 400],
    ["bytes that are no method at all", "\u0000\u0001\u0002 hello\r\n\r\n", 400, "unsupported_method"],
    [
      "headers over the parser's limit",
      `GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`,
      431,
      "headers_too_large",
    ],
  ])("%s: the API's error shape, x-request-id, connection closed", async (_name, bytes, status, code?) => {
    const answer = await rawRequest(gateway.url, bytes);
    expect(answer.status).toBe(status);
    expect(answer.headers["x-request-id"]).toMatch(/^req_[0-9A-Za-z]{24}$/);
    expect(answer.headers["content-type"]).toMatch(/^application\/json/);
    expect(answer.headers.connection).toBe("close");
    const body = JSON.parse(answer.body);
    expectErrorShape(body);
    if (code) expect(body.error.code).toBe(code);
    else expect(body.error.code).toBe("invalid_http_request");
  });

  it("an HTTP/1.1 request without Host: 400 missing_host in the API's shape", async () => {
    const answer = await rawRequest(gateway.url, "GET /v1/models HTTP/1.1\r\nConnection: close\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.headers["x-request-id"]).toMatch(/^req_/);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "missing_host", param: null } });
  });

  it("CONNECT (Node gives it no route and would drop the connection): 400 unsupported_method", async () => {
    const answer = await rawRequest(gateway.url, "CONNECT /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(answer.status).toBe(400);
    expect(answer.headers["x-request-id"]).toMatch(/^req_[0-9A-Za-z]{24}$/);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "unsupported_method", param: null } });
  });

  it("an Expect other than 100-continue (Node's bare 417): 417 in the API's shape", async () => {
    const answer = await rawRequest(
      gateway.url,
      "GET /v1/models HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\n\r\n",
    );
    expect(answer.status).toBe(417);
    expect(answer.headers["x-request-id"]).toMatch(/^req_[0-9A-Za-z]{24}$/);
    const body = JSON.parse(answer.body);
    expectErrorShape(body);
    expect(body.error.code).toBe("unsupported_expectation");
  });

  it("answers the next connection normally", async () => {
    await rawRequest(gateway.url, "FROB / HTTP/1.1\r\n\r\n");
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});

describe("requests Fastify's router refuses", () => {
  const authorized = (path: string, method = "GET") =>
    fetch(`${gateway.url}${path}`, { method, headers: { authorization: `Bearer ${secret}` } });

  it.each([
    ["GET", "/v1/files/%"],
    ["GET", "/v1/files/%G1"],
    ["GET", "/v1/files/%FF"],
    ["DELETE", "/v1/users/%E0%A4%A"],
    ["GET", "/v1/users/%FF/export"],
    ["GET", "/v1/deletion_requests/%C0%AF"],
  ])("%s %s (bad percent-encoding): 400 invalid_url in the API's shape", async (method, path) => {
    const response = await authorized(path, method);
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const body = await jsonOf(response);
    expectErrorShape(body);
    expect(body.error.code).toBe("invalid_url");
  });

  it.each([
    ["1,100 characters", "u".repeat(1_100)],
    ["1,100 characters, percent-encoded", "%2F".repeat(1_100)],
  ])("a path parameter longer than any id (%s): 400 in the API's shape, not 414", async (_name, id) => {
    const response = await authorized(`/v1/users/${id}`, "DELETE");
    expect(response.status).toBe(400);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expectErrorShape(await jsonOf(response));
  });
});
