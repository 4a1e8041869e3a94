import OpenAI from "openai";
import { zodFunction } from "openai/helpers/zod";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createOrgWithKey, jsonOf, startTestGateway } from "../testing/start-test-gateway.ts";

let t: TestDatabase;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let secret: string;
let openai: OpenAI;
const MODEL = "deepseek-chst-1.0";

beforeAll(async () => {
  t = await createTestDatabase();
  gateway = await startTestGateway({ db: t.db, gateway: { bodyLimit: 64 * 1024 } });
  // pro: these files send more than the free tier's 5 requests a minute
  secret = (await createOrgWithKey(t.db, { tier: "pro" })).secret;
  openai = new OpenAI({ apiKey: secret, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
});
afterAll(() => gateway.close());

function post(body: string | object, headers: Record<string, string> = {}) {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /v1/chat/completions with the official SDK", () => {
  it("answers a chat.completion from the built-in local model", async () => {
    const completion = await openai.chat.completions.create({
      model: MODEL,
      messages: [
        { role: "system", content: "Be brief." },
        { role: "user", content: "Hello there" },
      ],
    });
    expect(completion).toMatchObject({ object: "chat.completion", model: MODEL });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.choices[0]?.message.role).toBe("assistant");
    expect(completion.choices[0]?.message.content).toMatch(/built-in local model/);
    expect(completion.choices[0]?.finish_reason).toBe("stop");
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it("forces a tool call whose arguments the SDK's schema validation accepts", async () => {
    // what the SDK's parse() (and clients such as the Vercel AI SDK) check a call's arguments with
    const bookTrip = zodFunction({
      name: "book_trip",
      parameters: z.object({
        city: z.string().min(2),
        nights: z.number().int().min(1).max(30),
        seat: z.enum(["window", "aisle"]),
        contact: z.email(),
        travellers: z.array(z.object({ name: z.string(), age: z.number().int().min(0) })).min(1),
        note: z.string().nullable(),
      }),
    });
    const completion = await openai.chat.completions.parse({
      model: MODEL,
      messages: [{ role: "user", content: "Book two nights in Lisbon." }],
      tools: [bookTrip],
      tool_choice: "required",
    });
    const call = completion.choices[0]?.message.tool_calls?.[0];
    expect(completion.choices[0]?.finish_reason).toBe("tool_calls");
    if (call?.type !== "function") throw new Error(`no function call: ${JSON.stringify(call)}`);
    expect(call.function.name).toBe("book_trip");
    expect(call.function.parsed_arguments).toMatchObject({ seat: "window", contact: "user@example.com" });
  });

  it("streams chunks, a usage chunk when asked, and ends cleanly", async () => {
    const stream = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Stream this please" }],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = "";
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      chunks += 1;
      expect(chunk.object).toBe("chat.completion.chunk");
      expect(chunk.model).toBe(MODEL);
      text += chunk.choices[0]?.delta.content ?? "";
      if (chunk.usage) usage = chunk.usage;
    }
    expect(chunks).toBeGreaterThan(5);
    const whole = await openai.chat.completions.create({
      model: MODEL,
      messages: [{ role: "user", content: "Stream this please" }],
    });
    expect(text).toBe(whole.choices[0]?.message.content);
    expect(usage?.completion_tokens).toBe(whole.usage?.completion_tokens);
  });

  it("raises the SDK's error classes for 401, 404 and 400", async () => {
    const wrongKey = new OpenAI({
      apiKey: `sk-${"x".repeat(48)}`,
      baseURL: `${gateway.url}/v1`,
      maxRetries: 0,
    });
    await expect(
      wrongKey.chat.completions.create({ model: MODEL, messages: [{ role: "user", content: "hi" }] }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const notFound = await openai.chat.completions
      .create({ model: "no-such-model", messages: [{ role: "user", content: "hi" }] })
      .catch((e) => e);
    expect(notFound).toBeInstanceOf(OpenAI.NotFoundError);
    expect(notFound.code).toBe("model_not_found");
    const bad = await openai.chat.completions
      .create({ model: MODEL, messages: [{ role: "user", content: "hi" }], temperature: 3 })
      .catch((e) => e);
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError);
    expect(bad.param).toBe("temperature");
  });
});

describe("bad input, over raw HTTP", () => {
  const valid = { model: MODEL, messages: [{ role: "user", content: "hi" }] };

  it.each([
    ["malformed JSON", "{", 400, null, "invalid_json"],
    ["a JSON array", "[]", 400, null, null],
    ["no messages", { model: MODEL }, 400, "messages", "missing_required_parameter"],
    ["empty messages", { model: MODEL, messages: [] }, 400, "messages", "invalid_value"],
    ["no model", { messages: valid.messages }, 400, "model", "missing_required_parameter"],
    [
      "a bad role",
      { model: MODEL, messages: [{ role: "robot", content: "x" }] },
      400,
      "messages[0].role",
      "invalid_value",
    ],
    [
      "content of the wrong type",
      { model: MODEL, messages: [{ role: "user", content: 5 }] },
      400,
      "messages[0].content",
      "invalid_value",
    ],
    ["temperature out of range", { ...valid, temperature: 2.5 }, 400, "temperature", "invalid_value"],
    ["top_p out of range", { ...valid, top_p: -0.1 }, 400, "top_p", "invalid_value"],
    ["max_tokens of the wrong type", { ...valid, max_tokens: "ten" }, 400, "max_tokens", "invalid_value"],
    ["n of zero", { ...valid, n: 0 }, 400, "n", "invalid_value"],
    [
      "a tool message without tool_call_id",
      { model: MODEL, messages: [{ role: "tool", content: "x" }] },
      400,
      "messages[0].tool_call_id",
      "missing_required_parameter",
    ],
    ["an unknown model", { ...valid, model: "gpt-nope" }, 404, "model", "model_not_found"],
  ] as const)("%s", async (_name, body, status, param, code) => {
    const response = await post(body);
    expect(response.status).toBe(status);
    expect(response.headers.get("x-request-id")).toMatch(/^req_/);
    const json = await jsonOf(response);
    expect(Object.keys(json.error).sort()).toEqual(["code", "message", "param", "type"]);
    expect(json.error.param).toBe(param);
    if (code) expect(json.error.code).toBe(code);
    expect(JSON.stringify(json)).not.toMatch(/at .*\.(ts|js):\d+/);
  });

  it("refuses a non-JSON content type with 415", async () => {
    const response = await post("model=x", { "content-type": "application/x-www-form-urlencoded" });
    expect(response.status).toBe(415);
    expect((await jsonOf(response)).error).toMatchObject({ code: "unsupported_media_type" });
    const text = await post(JSON.stringify(valid), { "content-type": "text/plain" });
    expect(text.status).toBe(415);
  });

  it("refuses a body over the limit with 413", async () => {
    const response = await post({ ...valid, messages: [{ role: "user", content: "x".repeat(70 * 1024) }] });
    expect(response.status).toBe(413);
    expect((await jsonOf(response)).error).toMatchObject({ code: "payload_too_large" });
  });
});
