import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import { describe, expect, it } from "vitest";
import { createTextWorkPool } from "../text-work/text-work.ts";
import { countChatTokens, countTokens } from "../tokens/count-tokens.ts";
import { createLocalProvider } from "./local-provider.ts";

const CREATED = 1_700_000_000;
const provider = createLocalProvider({ clock: () => CREATED });

const request: ChatCompletionRequest = {
  model: "deepseek-chst-1.0",
  messages: [
    { role: "system", content: "Be brief." },
    { role: "user", content: "What is the capital of France?" },
  ],
};

function call(overrides: Partial<ChatCompletionRequest> = {}, signal = new AbortController().signal) {
  return { request: { ...request, ...overrides }, signal };
}

const withoutId = ({ id: _id, ...rest }: ChatCompletion | ChatCompletionChunk) => rest;

async function collect(chunks: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const all: ChatCompletionChunk[] = [];
  for await (const chunk of chunks) all.push(chunk);
  return all;
}

const contentOf = (chunks: ChatCompletionChunk[], index = 0) =>
  chunks
    .flatMap((chunk) => chunk.choices)
    .filter((choice) => choice.index === index)
    .map((choice) => choice.delta.content ?? "")
    .join("");

describe("the local provider's completions", () => {
  it("say plainly that they come from the built-in local model and echo the last user message", async () => {
    const result = await provider.complete(call());
    const content = result.choices[0]?.message.content ?? "";

    expect(content).toContain("built-in local model");
    expect(content).toContain("not generate real answers");
    expect(content).toContain('You said: "What is the capital of France?" (6 words).');
    expect(result).toMatchObject({
      object: "chat.completion",
      created: CREATED,
      model: "deepseek-chst-1.0",
      choices: [{ index: 0, message: { role: "assistant" }, finish_reason: "stop" }],
    });
    expect(result.id).toMatch(/^chatcmpl-[0-9A-Za-z]{24}$/);
  });

  it("are the same for the same request, apart from the id", async () => {
    const first = await provider.complete(call());
    const second = await provider.complete(call());
    expect(withoutId(second)).toEqual(withoutId(first));
    expect(second.id).not.toBe(first.id);
  });

  it("shorten a long user message in the echo but count all its words", async () => {
    const long = Array.from({ length: 40 }, (_, i) => `word${i}`).join(" ");
    const result = await provider.complete(call({ messages: [{ role: "user", content: long }] }));
    const content = result.choices[0]?.message.content ?? "";
    expect(content).toContain("…");
    expect(content).not.toContain("word39");
    expect(content).toContain("(40 words)");
  });

  it("count usage with the platform's token counter", async () => {
    const result = await provider.complete(call());
    const content = result.choices[0]?.message.content ?? "";
    expect(result.usage).toEqual({
      prompt_tokens: countChatTokens(request.messages),
      completion_tokens: countTokens(content),
      total_tokens: countChatTokens(request.messages) + countTokens(content),
    });
  });

  it("give n choices, indexed from 0, billed for each", async () => {
    const result = await provider.complete(call({ n: 3 }));
    expect(result.choices.map((choice) => choice.index)).toEqual([0, 1, 2]);
    const content = result.choices[0]?.message.content ?? "";
    expect(result.choices.every((choice) => choice.message.content === content)).toBe(true);
    expect(result.usage?.completion_tokens).toBe(3 * countTokens(content));
  });

  it("stop at max_tokens with finish_reason length", async () => {
    const full = (await provider.complete(call())).choices[0]?.message.content ?? "";
    for (const limit of [1, 5, 12]) {
      const result = await provider.complete(call({ max_tokens: limit }));
      const content = result.choices[0]?.message.content ?? "";
      expect(full.startsWith(content)).toBe(true);
      expect(content.length).toBeLessThan(full.length);
      expect(result.choices[0]?.finish_reason).toBe("length");
      expect(result.usage?.completion_tokens).toBe(limit);
    }
  });

  it("prefer max_completion_tokens to max_tokens", async () => {
    const result = await provider.complete(call({ max_tokens: 50, max_completion_tokens: 4 }));
    expect(result.usage?.completion_tokens).toBe(4);
    expect(result.choices[0]?.finish_reason).toBe("length");
  });

  it("end before the first stop sequence with finish_reason stop", async () => {
    const result = await provider.complete(call({ stop: ["platform", "local"] }));
    expect(result.choices[0]?.message.content).toBe("This is the built-in ");
    expect(result.choices[0]?.finish_reason).toBe("stop");
    expect(result.usage?.completion_tokens).toBe(countTokens("This is the built-in "));
  });

  it("answer a JSON object when response_format asks for one", async () => {
    const result = await provider.complete(call({ response_format: { type: "json_object" } }));
    const parsed = JSON.parse(result.choices[0]?.message.content ?? "");
    expect(parsed.model).toBe("local");
    expect(parsed.message).toContain("built-in local model");
  });

  it("call the tool that tool_choice forces, with empty arguments", async () => {
    const tools = [
      { type: "function" as const, function: { name: "get_weather" } },
      { type: "function" as const, function: { name: "get_time" } },
    ];
    const forced = await provider.complete(
      call({ tools, tool_choice: { type: "function", function: { name: "get_time" } } }),
    );
    const choice = forced.choices[0];
    expect(choice?.finish_reason).toBe("tool_calls");
    expect(choice?.message.content).toBeNull();
    expect(choice?.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9A-Za-z]{24}$/),
        type: "function",
        function: { name: "get_time", arguments: "{}" },
      },
    ]);
    const again = await provider.complete(
      call({ tools, tool_choice: { type: "function", function: { name: "get_time" } } }),
    );
    expect(again.choices[0]?.message.tool_calls?.[0]?.id).toBe(choice?.message.tool_calls?.[0]?.id);

    const required = await provider.complete(call({ tools, tool_choice: "required" }));
    expect(required.choices[0]?.message.tool_calls?.[0]?.function.name).toBe("get_weather");
    const auto = await provider.complete(call({ tools, tool_choice: "auto" }));
    expect(auto.choices[0]?.message.tool_calls).toBeUndefined();
  });

  it("reject at once when the call is already aborted", async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(provider.complete(call({}, controller.signal))).rejects.toMatchObject({
      name: "AbortError",
    });
    await expect(provider.stream(call({}, controller.signal))).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("the local provider's streams", () => {
  it("open with the role, send a word per chunk, and close with the finish reason", async () => {
    const complete = await provider.complete(call());
    const chunks = await collect(await provider.stream(call()));

    const [first, ...rest] = chunks;
    const last = rest.pop();
    expect(first?.choices).toEqual([
      { index: 0, delta: { role: "assistant", content: "" }, finish_reason: null },
    ]);
    expect(last?.choices).toEqual([{ index: 0, delta: {}, finish_reason: "stop" }]);
    for (const chunk of rest) {
      expect(chunk.choices[0]?.delta.content).toMatch(/^\S+\s*$/);
      expect(chunk.choices[0]?.finish_reason).toBeNull();
    }
    expect(contentOf(chunks)).toBe(complete.choices[0]?.message.content);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(
      chunks.every((chunk) => chunk.object === "chat.completion.chunk" && chunk.created === CREATED),
    ).toBe(true);
    expect(chunks.every((chunk) => !("usage" in chunk))).toBe(true);
  });

  it("end with a usage chunk, and mark the others' usage null, when include_usage is set", async () => {
    const overrides = { max_tokens: 7, n: 2, stream_options: { include_usage: true } };
    const complete = await provider.complete(call(overrides));
    const chunks = await collect(await provider.stream(call(overrides)));

    const usageChunk = chunks.at(-1);
    expect(usageChunk?.choices).toEqual([]);
    expect(usageChunk?.usage).toEqual(complete.usage);
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(contentOf(chunks, 0)).toBe(complete.choices[0]?.message.content);
    expect(contentOf(chunks, 1)).toBe(complete.choices[1]?.message.content);
    const finishes = chunks
      .flatMap((chunk) => chunk.choices)
      .filter((choice) => choice.finish_reason !== null);
    expect(finishes.map((choice) => [choice.index, choice.finish_reason])).toEqual([
      [0, "length"],
      [1, "length"],
    ]);
  });

  it("stream a forced tool call as the name, then the arguments", async () => {
    const chunks = await collect(
      await provider.stream(
        call({
          tools: [{ type: "function", function: { name: "lookup" } }],
          tool_choice: { type: "function", function: { name: "lookup" } },
        }),
      ),
    );
    expect(chunks[0]?.choices[0]?.delta).toMatchObject({
      role: "assistant",
      tool_calls: [{ index: 0, type: "function", function: { name: "lookup", arguments: "" } }],
    });
    expect(chunks[1]?.choices[0]?.delta).toEqual({
      tool_calls: [{ index: 0, function: { arguments: "{}" } }],
    });
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe("tool_calls");
  });

  it("throw the abort reason from the iterator as soon as the call is aborted", async () => {
    const controller = new AbortController();
    const iterator = (await provider.stream(call({}, controller.signal)))[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    controller.abort();
    await expect(iterator.next()).rejects.toMatchObject({ name: "AbortError" });
    expect((await iterator.next()).done).toBe(true);
  });
});

describe("the local provider's prompt counting", () => {
  it("counts a large prompt with the counter it is given (the gateway's text-work pool), JSON and streamed", async () => {
    const pool = createTextWorkPool({ maxThreads: 1, idleThreads: 0 });
    try {
      const pooled = createLocalProvider({
        clock: () => CREATED,
        countPromptTokens: async (messages) =>
          (await pool.countTokenUsage({ messages, completionTexts: [] })).promptTokens,
      });
      const large = call({ messages: [{ role: "user", content: "a.a@a.a ".repeat(10_000) }] });
      const expected = countChatTokens(large.request.messages);

      expect((await pooled.complete(large)).usage?.prompt_tokens).toBe(expected);
      const chunks = await collect(
        await pooled.stream({
          ...large,
          request: { ...large.request, stream: true, stream_options: { include_usage: true } },
        }),
      );
      expect(chunks.at(-1)?.usage?.prompt_tokens).toBe(expected);
      expect(pool.stats.pooled).toBe(2);
    } finally {
      await pool.close();
    }
  });
});
