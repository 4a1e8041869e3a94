import type { ChatMessage } from "@dsc/api-client";
import { countTokens as countEncodedTokens } from "gpt-tokenizer/encoding/o200k_base";

/** Tokens of a text, with the o200k_base encoding (the one used for usage everywhere). */
export function countTokens(text: string): number {
  return text.length === 0 ? 0 : countEncodedTokens(text);
}

// OpenAI's accounting for chat formatting: a few tokens per message plus the reply primer.
const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMER_TOKENS = 3;

/** Prompt tokens of a list of chat messages, counted the way OpenAI documents it. */
export function countChatTokens(messages: readonly ChatMessage[]): number {
  let total = REPLY_PRIMER_TOKENS;
  for (const message of messages) {
    total += TOKENS_PER_MESSAGE + countTokens(messageText(message));
    if ("name" in message && typeof message.name === "string")
      total += TOKENS_PER_NAME + countTokens(message.name);
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
