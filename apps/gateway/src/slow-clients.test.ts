import { once } from "node:events";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../test/support/database.ts";
import { parseAnswer, type RawAnswer } from "./testing/raw-http.ts";
import {
  createOrgWithKey,
  createOrgWithOAuthClient,
  jsonOf,
  startTestGateway,
} from "./testing/start-test-gateway.ts";

/**
 * Clients that send slowly or too much: a request must arrive within its deadline and fit its
 * route's body limit, or it is refused in the API's error shape and its connection closed.
 * The deadlines are short here so that the tests are quick; nothing asserts how long anything took.
 */
let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let secret: string;

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({
    db: t.db,
    gateway: { timeouts: { requestMs: 1_500, headersMs: 1_000 }, chatBodyLimit: 16 * 1024 },
  });
  ({ secret } = await createOrgWithKey(t.db, { tier: "pro" }));
});
afterAll(() => gateway.close());

/**
 * Opens a connection, writes `head`, then writes one byte of `trickle` at a time (each after the
 * previous write was flushed and a short pause) until the gateway closes the connection;
 * returns what it answered.
 */
async function slowRequest(head: string, trickle = ""): Promise<RawAnswer & { sentOfTrickle: number }> {
  const { port } = new URL(gateway.url);
  const socket = net.connect(Number(port), "127.0.0.1");
  socket.on("error", () => {});
  await once(socket, "connect");
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  let closed = false;
  const done = once(socket, "close").then(() => {
    closed = true;
  });
  socket.write(head);
  let sent = 0;
  // bounded: the gateway must have closed the connection long before the trickle ends
  while (!closed && sent < trickle.length) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    if (!closed) socket.write(trickle[sent++] ?? "");
  }
  await done;
  return { ...parseAnswer(Buffer.concat(chunks).toString("utf8")), sentOfTrickle: sent };
}

function expectRequestTimeout(answer: RawAnswer) {
  expect(answer.status).toBe(408);
  expect(answer.headers["x-request-id"]).toMatch(/^req_/);
  expect(JSON.parse(answer.body)).toEqual({
    error: {
      message: expect.any(String),
      type: "invalid_request_error",
      param: null,
      code: "request_timeout",
    },
  });
}

describe("slow clients are cut off", () => {
  it("headers that stop before their end: 408 and the connection closed", async () => {
    expectRequestTimeout(await slowRequest("GET /v1/models HTTP/1.1\r\nHost: x\r\n"));
  });

  it("headers sent a byte at a time: 408 and the connection closed", async () => {
    const answer = await slowRequest("GET /v1/models HTTP/1.1\r\n", `X-Slow: ${"a".repeat(200)}\r\n\r\n`);
    expectRequestTimeout(answer);
    expect(answer.sentOfTrickle).toBeLessThan(200);
  }, 30_000);

  it("a body that stalls after its headers: 408 and the connection closed", async () => {
    const answer = await slowRequest(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret}\r\n` +
        'Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"model":',
    );
    expectRequestTimeout(answer);
  });

  it("a body sent a byte at a time: 408 and the connection closed", async () => {
    const body = JSON.stringify({
      model: "deepseek-chst-1.0",
      messages: [{ role: "user", content: "x".repeat(300) }],
    });
    const answer = await slowRequest(
      `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${secret}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    expectRequestTimeout(answer);
    expect(answer.sentOfTrickle).toBeLessThan(body.length);
  }, 60_000);

  it("a prompt client on the next connection is served", async () => {
    const response = await fetch(`${gateway.url}/v1/models`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(response.status).toBe(200);
  });
});

describe("body limits per route", () => {
  it("a chat completion over the chat limit: 413 payload_too_large in the API's shape", async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "deepseek-chst-1.0",
        messages: [{ role: "user", content: "x".repeat(20 * 1024) }],
      }),
    });
    expect(response.status).toBe(413);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    expect((await jsonOf(response)).error).toMatchObject({
      type: "invalid_request_error",
      code: "payload_too_large",
    });
  });

  it("a chat completion under it is answered", async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
      body: JSON.stringify({
        model: "deepseek-chst-1.0",
        messages: [{ role: "user", content: "x".repeat(8 * 1024) }],
      }),
    });
    expect(response.status).toBe(200);
  });

  it("a token request over 8 KB: 413 in OAuth's error shape, however valid its fields", async () => {
    const { client, secret: clientSecret } = await createOrgWithOAuthClient(t.db);
    const form = (padding: string) =>
      new URLSearchParams({
        grant_type: "client_credentials",
        client_id: client.id,
        client_secret: clientSecret,
        scope: `chat${padding}`,
      });
    const small = await fetch(`${gateway.url}/oauth2/token`, { method: "POST", body: form("") });
    expect(small.status).toBe(200);
    const large = await fetch(`${gateway.url}/oauth2/token`, {
      method: "POST",
      body: form(" ".repeat(9 * 1024)),
    });
    expect(large.status).toBe(413);
    expect(await large.json()).toMatchObject({ error: expect.any(String) });
  });
});
