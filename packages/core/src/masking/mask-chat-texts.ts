import type { ChatCompletion, ChatMessage } from "@dsc/api-client";
import { maskPii, type PiiKind } from "./pii-masking.ts";

// Beside maskPii rather than in chat-logs: the log writer, the upstream masking of a prompt and
// the text-work pool's threads all mask the same shapes, and text-work sits below chat-logs.

/** The messages with every text part masked. */
export function maskMessages(messages: ChatMessage[], kinds: readonly PiiKind[]): ChatMessage[] {
  if (kinds.length === 0) return messages;
  return messages.map((message) => {
    const content = message.content;
    if (typeof content === "string") return { ...message, content: maskPii(content, kinds) } as ChatMessage;
    if (!Array.isArray(content)) return message;
    return {
      ...message,
      content: content.map((part) =>
        part.type === "text" && typeof part.text === "string"
          ? { ...part, text: maskPii(part.text, kinds) }
          : part,
      ),
    } as ChatMessage;
  });
}

/** A completion's choices, or a stream's text, with every text masked. */
export function maskResponse(
  response: Pick<ChatCompletion, "choices"> | { streamedText: string },
  kinds: readonly PiiKind[],
): Pick<ChatCompletion, "choices"> | { streamedText: string } {
  if (kinds.length === 0) return response;
  if ("streamedText" in response) return { streamedText: maskPii(response.streamedText, kinds) };
  return {
    choices: response.choices.map((choice) => ({
      ...choice,
      message: {
        ...choice.message,
        content: choice.message.content === null ? null : maskPii(choice.message.content, kinds),
      },
    })),
  };
}
