import type { ChatMessage } from "@dsc/api-client";

/** What one call used, in tokens. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** The texts whose tokens a call is billed for: the prompt's messages and each completion text. */
export interface TokenCountInput {
  messages: readonly ChatMessage[];
  /** each counted on its own and summed, as a completion's choices and tool calls are */
  completionTexts: readonly string[];
}

/** What counts tokens: the text-work pool (large texts off the event loop) or inline work. */
export interface TokenCounter {
  countTokenUsage(input: TokenCountInput): Promise<TokenUsage>;
}
