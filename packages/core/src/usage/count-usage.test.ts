import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import { afterAll, describe, expect, it } from "vitest";
import { createInlineTextWork, createTextWorkPool } from "../text-work/text-work.ts";
import { countChatTokens, countTokens, estimateChatTokens, estimateTokens } from "../tokens/count-tokens.ts";
import { completionUsage, createStreamUsageCounter, estimatedCompletionUsage } from "./count-usage.ts";

const inline = createInlineTextWork();
const pool = createTextWorkPool({ maxThreads: 1 });
afterAll(() => pool.close());

const request: ChatCompletionRequest = {
  model: "m",
  messages: [{ role: "user", content: "Count me please" }],
};
const chunk = (delta: ChatCompletionChunk["choices"][0]["delta"], usage?: ChatCompletionChunk["usage"]) =>
  ({
    id: "c",
    object: "chat.completion.chunk",
    created: 1,
    model: "m",
    choices: [{ index: 0, delta, finish_reason: null }],
    ...(usage !== undefined && { usage }),
  }) as ChatCompletionChunk;

describe("usage of an answer", () => {
  it("takes the provider's count when there is one", async () => {
    const completion = {
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    } as unknown as ChatCompletion;
    expect(await completionUsage(inline, request, completion)).toEqual({
      promptTokens: 7,
      completionTokens: 3,
    });
    expect(estimatedCompletionUsage(request, completion)).toEqual({ promptTokens: 7, completionTokens: 3 });
  });

  it("counts the prompt and every choice's text and tool calls otherwise", async () => {
    const completion = {
      choices: [
        { index: 0, message: { role: "assistant", content: "Hello there" }, finish_reason: "stop" },
        {
          index: 1,
          message: {
            role: "assistant",
            content: null,
            tool_calls: [{ id: "c", type: "function", function: { name: "lookup", arguments: '{"q":1}' } }],
          },
          finish_reason: "tool_calls",
        },
      ],
    } as unknown as ChatCompletion;
    expect(await completionUsage(inline, request, completion)).toEqual({
      promptTokens: countChatTokens(request.messages),
      completionTokens: countTokens("Hello there") + countTokens("lookup") + countTokens('{"q":1}'),
    });
    expect(estimatedCompletionUsage(request, completion)).toEqual({
      promptTokens: estimateChatTokens(request.messages),
      completionTokens:
        estimateTokens("Hello there") +
        estimateTokens("") +
        estimateTokens("lookup") +
        estimateTokens('{"q":1}'),
    });
  });

  it("of a stream: the usage chunk when one came", async () => {
    const counter = createStreamUsageCounter(request);
    counter.observe(chunk({ content: "Hello" }, null));
    counter.observe({
      ...chunk({}),
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
    expect(await counter.count(inline)).toEqual({ promptTokens: 9, completionTokens: 4 });
    expect(counter.estimate()).toEqual({ promptTokens: 9, completionTokens: 4 });
  });

  it("of a stream: counted from what was streamed, also when it stopped early", async () => {
    const counter = createStreamUsageCounter(request);
    for (const piece of ["Hello", " wide", " world"]) counter.observe(chunk({ content: piece }));
    counter.observe(chunk({ tool_calls: [{ index: 0, function: { name: "f", arguments: "{}" } }] } as never));
    expect(await counter.count(inline)).toEqual({
      promptTokens: countChatTokens(request.messages),
      completionTokens: countTokens("Hello wide worldf{}"),
    });
    expect(counter.estimate()).toEqual({
      promptTokens: estimateChatTokens(request.messages),
      completionTokens: estimateTokens("Hello wide worldf{}"),
    });
  });

  it("of a large prompt: counted in the pool, as inline", async () => {
    const large = { ...request, messages: [{ role: "user" as const, content: "-eyJ".repeat(50_000) }] };
    const counter = createStreamUsageCounter(large);
    counter.observe(chunk({ content: "fine" }));
    const before = pool.stats.pooled;
    const counted = await counter.count(pool);
    expect(pool.stats.pooled).toBe(before + 1);
    expect(counted).toEqual(await counter.count(inline));
    expect(counted.promptTokens).toBe(countChatTokens(large.messages));
  });
});
