import type { ChatCompletion, ChatMessage } from "@dsc/api-client";
import { maskPii, type PiiKind } from "./pii-masking.ts";

// Beside maskPii rather than in chat-logs: the log writer, the upstream masking of a prompt and
// the text-work pool's threads all mask the same shapes, and text-work sits below chat-logs.

// Objects are loose (the contract passes unknown fields through), so each field is checked for
// its type here rather than trusted: a text we do not know the shape of is left as it is.
type Loose = Record<string, unknown>;

/**
 * The messages with every text masked: string content and every text (or refusal) part of
 * multi-part content, the participant `name`, a refusal, and each tool call's function name
 * and arguments (a JSON text: the placeholders hold no quote, so it stays JSON). Tool messages
 * are masked like any other, by their content.
 */
export function maskMessages(messages: ChatMessage[], kinds: readonly PiiKind[]): ChatMessage[] {
  if (kinds.length === 0) return messages;
  return messages.map((message) => maskMessage(message as Loose, kinds) as ChatMessage);
}

/** A completion's choices, or a stream's text, with every text masked (tool calls included). */
export function maskResponse(
  response: Pick<ChatCompletion, "choices"> | { streamedText: string },
  kinds: readonly PiiKind[],
): Pick<ChatCompletion, "choices"> | { streamedText: string } {
  if (kinds.length === 0) return response;
  if ("streamedText" in response) return { streamedText: maskPii(response.streamedText, kinds) };
  return {
    choices: response.choices.map((choice) => ({
      ...choice,
      message: maskMessage(choice.message, kinds) as typeof choice.message,
    })),
  };
}

function maskMessage(message: Loose, kinds: readonly PiiKind[]): Loose {
  const masked: Loose = { ...message };
  if ("content" in message) masked.content = maskContent(message.content, kinds);
  for (const field of ["name", "refusal"] as const) {
    if (typeof message[field] === "string") masked[field] = maskPii(message[field], kinds);
  }
  if (Array.isArray(message.tool_calls)) {
    masked.tool_calls = message.tool_calls.map((call: unknown) =>
      isObject(call) && isObject(call.function)
        ? { ...call, function: maskFunctionCall(call.function, kinds) }
        : call,
    );
  }
  // the deprecated single call, which some upstreams still answer with
  if (isObject(message.function_call)) masked.function_call = maskFunctionCall(message.function_call, kinds);
  return masked;
}

function maskContent(content: unknown, kinds: readonly PiiKind[]): unknown {
  if (typeof content === "string") return maskPii(content, kinds);
  if (!Array.isArray(content)) return content;
  return content.map((part: unknown) => {
    if (!isObject(part)) return part;
    if (part.type === "text" && typeof part.text === "string")
      return { ...part, text: maskPii(part.text, kinds) };
    if (part.type === "refusal" && typeof part.refusal === "string")
      return { ...part, refusal: maskPii(part.refusal, kinds) };
    return part;
  });
}

function maskFunctionCall(call: Loose, kinds: readonly PiiKind[]): Loose {
  const masked: Loose = { ...call };
  if (typeof call.name === "string") masked.name = maskPii(call.name, kinds);
  if (typeof call.arguments === "string") masked.arguments = maskPii(call.arguments, kinds);
  return masked;
}

function isObject(value: unknown): value is Loose {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
