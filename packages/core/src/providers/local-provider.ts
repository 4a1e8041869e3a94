import type { ChatCompletion, ChatCompletionChunk, ChatMessage, Usage } from "@dsc/api-client";
import { randomBase62 } from "../ids/public-id.ts";
import { countChatTokens } from "../tokens/count-tokens.ts";
import type { ChatProvider, ProviderCall } from "./chat-provider.ts";
import { composeLocalReply, type LocalReply } from "./local-reply.ts";

export interface LocalProviderOptions {
  /** unix seconds, for `created`; tests pass a fixed one */
  clock?: () => number;
  /**
   * Counts the prompt's tokens. The gateway passes its text-work pool's counter, so that a
   * prompt of megabytes is counted off the event loop; the default counts on the caller's thread.
   */
  countPromptTokens?: (messages: readonly ChatMessage[]) => Promise<number>;
}

type ChunkChoice = ChatCompletionChunk["choices"][number];

/**
 * The built-in model, used when no upstream is configured: it says what it is and echoes the
 * last user message, deterministically, in OpenAI's wire format.
 *
 * Completion ids are random (`chatcmpl-` + 24 base62 characters) so that they stay unique per
 * call like OpenAI's; everything else is a function of the request and the clock. When
 * `call.signal` aborts, `complete()` rejects and the stream's iterator throws with
 * `call.signal.reason` (an AbortError unless the caller gave another reason), never a
 * ProviderError: the client left, nothing upstream failed.
 */
export function createLocalProvider(options: LocalProviderOptions = {}): ChatProvider {
  const clock = options.clock ?? (() => Math.floor(Date.now() / 1000));
  const countPromptTokens = options.countPromptTokens ?? (async (messages) => countChatTokens(messages));
  const replyTo = async (call: ProviderCall) => {
    const promptTokens = await countPromptTokens(call.request.messages);
    call.signal.throwIfAborted();
    return composeLocalReply(call.request, promptTokens);
  };

  return {
    name: "local",

    async complete(call: ProviderCall): Promise<ChatCompletion> {
      call.signal.throwIfAborted();
      const reply = await replyTo(call);
      const n = call.request.n ?? 1;
      return {
        id: newCompletionId(),
        object: "chat.completion",
        created: clock(),
        model: call.request.model,
        choices: Array.from({ length: n }, (_, index) => ({
          index,
          message: {
            role: "assistant" as const,
            content: reply.content,
            refusal: null,
            ...(reply.toolCall && { tool_calls: [reply.toolCall] }),
          },
          finish_reason: reply.finishReason,
          logprobs: null,
        })),
        usage: usageOf(reply, n),
      };
    },

    async stream(call: ProviderCall): Promise<AsyncIterable<ChatCompletionChunk>> {
      call.signal.throwIfAborted();
      return streamReply(call, await replyTo(call), newCompletionId(), clock());
    },
  };
}

async function* streamReply(
  call: ProviderCall,
  reply: LocalReply,
  id: string,
  created: number,
): AsyncGenerator<ChatCompletionChunk> {
  const n = call.request.n ?? 1;
  const includeUsage = call.request.stream_options?.include_usage === true;
  const chunk = (choice: ChunkChoice): ChatCompletionChunk => ({
    id,
    object: "chat.completion.chunk",
    created,
    model: call.request.model,
    choices: [choice],
    // OpenAI marks every chunk's usage null when the last one will carry it
    ...(includeUsage && { usage: null }),
  });
  const choices = Array.from({ length: n }, (_, index) => index);

  for (const index of choices) yield chunk({ index, delta: firstDelta(reply), finish_reason: null });
  for (const piece of streamedPieces(reply)) {
    // give the event loop a turn per piece so that back-pressure and aborts take effect
    await new Promise(setImmediate);
    call.signal.throwIfAborted();
    for (const index of choices) yield chunk({ index, delta: piece, finish_reason: null });
  }
  call.signal.throwIfAborted();
  for (const index of choices) yield chunk({ index, delta: {}, finish_reason: reply.finishReason });
  if (includeUsage) {
    yield {
      id,
      object: "chat.completion.chunk",
      created,
      model: call.request.model,
      choices: [],
      usage: usageOf(reply, n),
    };
  }
}

function firstDelta(reply: LocalReply): ChunkChoice["delta"] {
  if (reply.toolCall === null) return { role: "assistant", content: "" };
  const { id, type, function: fn } = reply.toolCall;
  return {
    role: "assistant",
    content: null,
    tool_calls: [{ index: 0, id, type, function: { name: fn.name, arguments: "" } }],
  };
}

/** The deltas after the first: a word at a time (with the whitespace after it), or the arguments. */
function streamedPieces(reply: LocalReply): ChunkChoice["delta"][] {
  if (reply.toolCall !== null)
    return [{ tool_calls: [{ index: 0, function: { arguments: reply.toolCall.function.arguments } }] }];
  const words = reply.content?.match(/^\s+|\S+\s*/g) ?? [];
  return words.map((word) => ({ content: word }));
}

function usageOf(reply: LocalReply, n: number): Usage {
  const completionTokens = reply.choiceTokens * n;
  return {
    prompt_tokens: reply.promptTokens,
    completion_tokens: completionTokens,
    total_tokens: reply.promptTokens + completionTokens,
  };
}

function newCompletionId(): string {
  return `chatcmpl-${randomBase62(24)}`;
}
