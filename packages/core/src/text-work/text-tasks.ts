import type { ChatCompletion, ChatMessage, ToolCall } from "@dsc/api-client";
import { open, seal } from "../crypto/aead.ts";
import { maskMessages, maskResponse } from "../masking/mask-chat-texts.ts";
import type { PiiKind } from "../masking/pii-masking.ts";
import { countChatTokens, countTokens, messageText } from "../tokens/count-tokens.ts";
import type { TokenUsage } from "../tokens/token-usage.ts";

/*
 * The work on request and response texts that costs time in proportion to their length:
 * token counting, PII masking, sealing a chat log. Plain functions of plain data (what a
 * worker thread can receive), run on the event loop for small texts and in the text-work
 * pool for large ones (text-work.ts decides, text-work-worker.ts exposes them to the pool).
 */

export interface TokenCountInput {
  messages: readonly ChatMessage[];
  /** each counted on its own and summed, as a completion's choices and tool calls are */
  completionTexts: readonly string[];
}

/** The prompt counted as OpenAI documents it for chat, and the completion's texts. */
export function countTokenUsage(input: TokenCountInput): TokenUsage {
  let completionTokens = 0;
  for (const text of input.completionTexts) completionTokens += countTokens(text);
  return { promptTokens: countChatTokens(input.messages), completionTokens };
}

export interface MessagesToMask {
  messages: ChatMessage[];
  kinds: readonly PiiKind[];
}

export function maskChatMessages(input: MessagesToMask): ChatMessage[] {
  return maskMessages(input.messages, input.kinds);
}

export type ChatTurnResponse = Pick<ChatCompletion, "choices"> | { streamedText: string };

export interface ChatTurnToSeal {
  messages: ChatMessage[];
  response: ChatTurnResponse;
  maskKinds: readonly PiiKind[];
  /** the subject's data key (32 bytes) */
  key: Uint8Array;
  /** associated data of each part (chatLogContext) */
  requestContext: string;
  responseContext: string;
}

export interface SealedChatTurn {
  requestCiphertext: Uint8Array;
  responseCiphertext: Uint8Array;
}

/** A turn's request and response masked, as JSON, each sealed under the data key. */
export function sealChatTurn(input: ChatTurnToSeal): SealedChatTurn {
  const key = asBuffer(input.key);
  const request = Buffer.from(JSON.stringify(maskMessages(input.messages, input.maskKinds)), "utf8");
  const response = Buffer.from(JSON.stringify(maskResponse(input.response, input.maskKinds)), "utf8");
  return {
    requestCiphertext: seal(key, request, input.requestContext),
    responseCiphertext: seal(key, response, input.responseContext),
  };
}

export interface ChatTurnToReseal {
  /** what sealChatTurn made, under `fromKey` */
  requestCiphertext: Uint8Array;
  responseCiphertext: Uint8Array;
  fromKey: Uint8Array;
  toKey: Uint8Array;
  requestContext: string;
  responseContext: string;
}

/** A sealed turn opened with the key it was sealed under and sealed again under another, its associated data kept. */
export function resealChatTurn(input: ChatTurnToReseal): SealedChatTurn {
  const again = (ciphertext: Uint8Array, context: string) =>
    seal(asBuffer(input.toKey), open(asBuffer(input.fromKey), asBuffer(ciphertext), context), context);
  return {
    requestCiphertext: again(input.requestCiphertext, input.requestContext),
    responseCiphertext: again(input.responseCiphertext, input.responseContext),
  };
}

/**
 * Bytes as a Buffer over the same memory: what crossed to a worker thread arrives as a plain
 * Uint8Array, and a Buffer stays itself (aead.ts keeps each key's KeyObject by its Buffer).
 */
export function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Characters of text in messages: what the work on them costs in proportion to. */
export function charactersOfMessages(messages: readonly ChatMessage[]): number {
  let characters = 0;
  for (const message of messages) {
    characters += messageText(message).length;
    if ("name" in message && typeof message.name === "string") characters += message.name.length;
    if (message.role === "assistant") characters += charactersOfToolCalls(message.tool_calls);
  }
  return characters;
}

/** Characters of text in a turn's response. */
export function charactersOfResponse(response: ChatTurnResponse): number {
  if ("streamedText" in response) return response.streamedText.length;
  let characters = 0;
  for (const choice of response.choices) {
    characters += (choice.message.content?.length ?? 0) + charactersOfToolCalls(choice.message.tool_calls);
  }
  return characters;
}

/** Tool calls' names and arguments, which are masked too (a large argument is as costly as a prompt). */
function charactersOfToolCalls(calls: readonly ToolCall[] | undefined): number {
  let characters = 0;
  // an upstream's answer is not checked against the contract: read its fields with care
  for (const call of calls ?? []) {
    characters += (call.function?.name?.length ?? 0) + (call.function?.arguments?.length ?? 0);
  }
  return characters;
}
