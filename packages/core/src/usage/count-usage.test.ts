import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import { describe, expect, it } from "vitest";
import { countChatTokens, countTokens } from "../tokens/count-tokens.ts";
import { completionUsage, StreamUsageCounter } from "./count-usage.ts";

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
  it("takes the provider's count when there is one", () => {
    const completion = {
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    } as unknown as ChatCompletion;
    expect(completionUsage(request, completion)).toEqual({ promptTokens: 7, completionTokens: 3 });
  });

  it("counts the prompt and every choice's text and tool calls otherwise", () => {
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
    expect(completionUsage(request, completion)).toEqual({
      promptTokens: countChatTokens(request.messages),
      completionTokens: countTokens("Hello there") + countTokens("lookup") + countTokens('{"q":1}'),
    });
  });

  it("of a stream: the usage chunk when one came", () => {
    const counter = new StreamUsageCounter(request);
    counter.observe(chunk({ content: "Hello" }, null));
    counter.observe({
      ...chunk({}),
      choices: [],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
    expect(counter.usage()).toEqual({ promptTokens: 9, completionTokens: 4 });
  });

  it("of a stream: counted from what was streamed, also when it stopped early", () => {
    const counter = new StreamUsageCounter(request);
    for (const piece of ["Hello", " wide", " world"]) counter.observe(chunk({ content: piece }));
    counter.observe(chunk({ tool_calls: [{ index: 0, function: { name: "f", arguments: "{}" } }] } as never));
    expect(counter.usage()).toEqual({
      promptTokens: countChatTokens(request.messages),
      completionTokens: countTokens("Hello wide worldf{}"),
    });
  });
});
