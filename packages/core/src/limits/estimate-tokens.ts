import type { ChatMessage } from "@dsc/api-client";
import { estimateChatTokens } from "../tokens/count-tokens.ts";

/**
 * The tokens a chat completion may use, reserved before the call: the prompt estimated from
 * its characters (as OpenAI estimates for its rate limits; the real count settles the
 * reservation when the call ends), plus the most the reply may take (`max_completion_tokens`, else
 * `max_tokens`, else `defaultMaxTokens`) for each of the `n` choices. Works on the raw body
 * (limits run before validation): what is malformed counts as nothing, and validation then
 * refuses the request.
 */
export function estimateChatCompletionTokens(body: unknown, defaultMaxTokens: number): number {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return 0;
  const fields = body as Record<string, unknown>;
  const messages = Array.isArray(fields.messages)
    ? (fields.messages.filter(
        (message) => message !== null && typeof message === "object" && !Array.isArray(message),
      ) as ChatMessage[])
    : [];
  const maxTokens =
    positiveInteger(fields.max_completion_tokens) ?? positiveInteger(fields.max_tokens) ?? defaultMaxTokens;
  const choices = positiveInteger(fields.n) ?? 1;
  return promptTokens(messages) + maxTokens * choices;
}

function promptTokens(messages: ChatMessage[]): number {
  try {
    return estimateChatTokens(messages);
  } catch {
    return 0; // e.g. a null content part: validation refuses the request next
  }
}

function positiveInteger(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;
}
