import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import type { TextWork } from "../text-work/text-work.ts";
import { estimateChatTokens, estimateTokens } from "../tokens/count-tokens.ts";
import type { TokenUsage } from "../tokens/token-usage.ts";

export type { TokenUsage };

/** What counts tokens: the text-work pool (large texts off the event loop) or inline work. */
export type TokenCounter = Pick<TextWork, "countTokenUsage">;

/**
 * What a completion used: the provider's own count, else counted from the request and answer
 * (each choice's text and tool calls on its own, as they are billed).
 */
export async function completionUsage(
  counter: TokenCounter,
  request: ChatCompletionRequest,
  completion: ChatCompletion,
): Promise<TokenUsage> {
  return (
    reportedUsage(completion) ??
    counter.countTokenUsage({ messages: request.messages, completionTexts: completionTexts(completion) })
  );
}

/**
 * `completionUsage` estimated from characters (estimateTokens): what is settled when
 * counting failed, never throws.
 */
export function estimatedCompletionUsage(
  request: ChatCompletionRequest,
  completion: ChatCompletion,
): TokenUsage {
  return (
    reportedUsage(completion) ?? {
      promptTokens: estimateChatTokens(request.messages),
      completionTokens: completionTexts(completion).reduce((sum, text) => sum + estimateTokens(text), 0),
    }
  );
}

function reportedUsage(completion: ChatCompletion): TokenUsage | null {
  return completion.usage
    ? { promptTokens: completion.usage.prompt_tokens, completionTokens: completion.usage.completion_tokens }
    : null;
}

function completionTexts(completion: ChatCompletion): string[] {
  const texts: string[] = [];
  for (const choice of completion.choices) {
    texts.push(choice.message.content ?? "");
    for (const call of choice.message.tool_calls ?? [])
      texts.push(call.function.name, call.function.arguments);
  }
  return texts;
}

/**
 * Follows a stream to tell what it used when it ends, completely or not: the provider's usage
 * chunk when one came (`stream_options.include_usage`), else the prompt counted from the
 * request and the completion from the text and tool-call arguments streamed so far.
 */
export interface StreamUsageCounter {
  observe(chunk: ChatCompletionChunk): void;
  /** The usage so far, counted (by `counter`) unless the provider reported it. */
  count(counter: TokenCounter): Promise<TokenUsage>;
  /** The usage so far, estimated from characters unless reported: never throws. */
  estimate(): TokenUsage;
}

export function createStreamUsageCounter(
  request: Pick<ChatCompletionRequest, "messages">,
): StreamUsageCounter {
  let reported: TokenUsage | null = null;
  const pieces: string[] = [];
  return {
    observe(chunk) {
      if (chunk.usage) {
        reported = {
          promptTokens: chunk.usage.prompt_tokens,
          completionTokens: chunk.usage.completion_tokens,
        };
      }
      for (const choice of chunk.choices) {
        const delta = choice.delta;
        if (typeof delta.content === "string") pieces.push(delta.content);
        if (typeof delta.refusal === "string") pieces.push(delta.refusal);
        for (const call of delta.tool_calls ?? []) {
          const fn = (call as { function?: { name?: unknown; arguments?: unknown } }).function;
          if (typeof fn?.name === "string") pieces.push(fn.name);
          if (typeof fn?.arguments === "string") pieces.push(fn.arguments);
        }
      }
    },
    async count(counter) {
      if (reported) return reported;
      return counter.countTokenUsage({ messages: request.messages, completionTexts: [pieces.join("")] });
    },
    estimate() {
      if (reported) return reported;
      return {
        promptTokens: estimateChatTokens(request.messages),
        completionTokens: estimateTokens(pieces.join("")),
      };
    },
  };
}
