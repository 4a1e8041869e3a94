import type { ChatMessage } from "@dsc/api-client";
import { countTokens as countEncodedTokens } from "gpt-tokenizer/encoding/o200k_base";
import { O200K_TOKEN_SPLIT_REGEX } from "gpt-tokenizer/encodingParams/constants";

/**
 * Special-token text (`<|endoftext|>`, `<|im_start|>`, …) in a message is text like any other:
 * gpt-tokenizer throws on it by default, and as a special token it would count as one token.
 * An empty disallowed set makes the tokenizer encode it as ordinary text, as OpenAI counts it.
 */
export const ORDINARY_TEXT = { disallowedSpecial: new Set<string>() } as const;

/**
 * Longest piece (in UTF-16 units) handed to byte-pair encoding in one go. Merging a piece costs
 * time that grows with the square of its length (300,000 × `a` took 46 s), so longer pieces,
 * which only runs without spaces produce, are counted in chunks of this length. The count of
 * such a piece can then differ slightly from the exact one (a merge across a chunk boundary is
 * lost); text without pieces this long counts exactly as gpt-tokenizer counts it.
 */
const MAX_PIECE_LENGTH = 256;

/**
 * Tokens of a text, with the o200k_base encoding (the one used for usage everywhere), in time
 * linear in its length.
 */
export function countTokens(text: string): number {
  if (text.length === 0) return 0;
  let tokens = 0;
  // text before `counted` is counted; text between long pieces goes to the tokenizer whole
  let counted = 0;
  // the whitespace pieces that end the text not yet counted
  let spaces: { start: number; piece: string }[] = [];
  for (const match of text.matchAll(O200K_TOKEN_SPLIT_REGEX)) {
    const piece = match[0];
    if (piece.length <= MAX_PIECE_LENGTH) {
      if (!WHITESPACE.test(piece)) spaces = [];
      else spaces.push({ start: match.index, piece });
      continue;
    }
    // The tokenizer splits text cut where a piece starts into the same pieces, except at its
    // end: a whitespace run it ends with is one piece there (`\s+(?!\S)` meets the end), where
    // before a long piece of letters it may have been two. So those pieces count one by one.
    const end = spaces[0]?.start ?? match.index;
    if (end > counted) tokens += countEncodedTokens(text.slice(counted, end), ORDINARY_TEXT);
    for (const space of spaces) tokens += countEncodedTokens(space.piece, ORDINARY_TEXT);
    spaces = [];
    tokens += countLongPiece(piece);
    counted = match.index + piece.length;
  }
  if (counted < text.length) {
    tokens += countEncodedTokens(counted === 0 ? text : text.slice(counted), ORDINARY_TEXT);
  }
  return tokens;
}

const WHITESPACE = /^\s+$/;

function countLongPiece(piece: string): number {
  let tokens = 0;
  for (let start = 0; start < piece.length; ) {
    let end = Math.min(start + MAX_PIECE_LENGTH, piece.length);
    // never between the halves of a surrogate pair, which would count as two broken characters
    if (end < piece.length && isHighSurrogate(piece.charCodeAt(end - 1))) end--;
    tokens += countEncodedTokens(piece.slice(start, end), ORDINARY_TEXT);
    start = end;
  }
  return tokens;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
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
