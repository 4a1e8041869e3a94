import type { ChatMessage } from "@dsc/api-client";
import { countTokens as countEncodedTokens } from "gpt-tokenizer/encoding/o200k_base";

/** Tokens of a text, with the o200k_base encoding (the one used for usage everywhere). */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : countEncodedTokens(text);
}

/**
 * Tokens of a text estimated from its characters, without tokenizing: ASCII at four
 * characters per token, any other character (accented letters, CJK, emoji halves) one token
 * each. o200k_base averages about four characters per token on English and code and close to
 * one per CJK character, so the estimate is near the count for the former and above it for
 * the latter. Linear and allocation-free, where tokenizing a long prompt holds the event loop
 * for milliseconds.
 */
export function estimateTokens(text: string): number {
  let ascii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) < 0x80) ascii++;
  return Math.ceil(ascii / 4) + (text.length - ascii);
}

// OpenAI's accounting for chat formatting: a few tokens per message plus the reply primer.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMER_TOKENS = 3;

/** Prompt tokens of a list of chat messages, counted the way OpenAI documents it. */
export function countChatTokens(messages: readonly ChatMessage[]): number {
  return chatTokens(messages, countTokens);
}

/** Prompt tokens of chat messages as `estimateTokens` estimates their texts (for reservations). */
export function estimateChatTokens(messages: readonly ChatMessage[]): number {
  return chatTokens(messages, estimateTokens);
}

function chatTokens(messages: readonly ChatMessage[], tokensOf: (text: string) => number): number {
  let total = REPLY_PRIMER_TOKENS;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE + tokensOf(messageText(message));
    if ("name" in message && typeof message.name === "string")
      total += TOKENS_PER_NAME + tokensOf(message.name);
  }
  return total;
}

/** The text of a message's content: a string, or the text parts of an array. */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (part.type === "text" && typeof part.text === "string" ? part.text : ""))
    .join("");
}
