import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import { countChatTokens, countTokens } from "../tokens/count-tokens.ts";

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** What a completion used: the provider's own count, else counted from the request and answer. */
export function completionUsage(request: ChatCompletionRequest, completion: ChatCompletion): TokenUsage {
  if (completion.usage) {
    return {
      promptTokens: completion.usage.prompt_tokens,
      completionTokens: completion.usage.completion_tokens,
    };
  }
  let completionTokens = 0;
  for (const choice of completion.choices) {
    completionTokens += countTokens(choice.message.content ?? "");
    for (const call of choice.message.tool_calls ?? []) {
      completionTokens += countTokens(call.function.name) + countTokens(call.function.arguments);
    }
  }
  return { promptTokens: countChatTokens(request.messages), completionTokens };
}

/**
 * Follows a stream to tell what it used when it ends, completely or not: the provider's usage
 * chunk when one came (`stream_options.include_usage`), else the prompt counted from the
 * request and the completion from the text and tool-call arguments streamed so far.
 */
export class StreamUsageCounter {
  private reported: TokenUsage | null = null;
  private readonly pieces: string[] = [];

  constructor(private readonly request: ChatCompletionRequest) {}

  observe(chunk: ChatCompletionChunk): void {
    if (chunk.usage) {
      this.reported = {
        promptTokens: chunk.usage.prompt_tokens,
        completionTokens: chunk.usage.completion_tokens,
      };
    }
    for (const choice of chunk.choices) {
      const delta = choice.delta;
      if (typeof delta.content === "string") this.pieces.push(delta.content);
      if (typeof delta.refusal === "string") this.pieces.push(delta.refusal);
      for (const call of delta.tool_calls ?? []) {
        const fn = (call as { function?: { name?: unknown; arguments?: unknown } }).function;
        if (typeof fn?.name === "string") this.pieces.push(fn.name);
        if (typeof fn?.arguments === "string") this.pieces.push(fn.arguments);
      }
    }
  }

  usage(): TokenUsage {
    if (this.reported) return this.reported;
    return {
      promptTokens: countChatTokens(this.request.messages),
      completionTokens: countTokens(this.pieces.join("")),
    };
  }
}
