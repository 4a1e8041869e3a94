import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest } from "@dsc/api-client";
import type { TokenCounter, TokenUsage } from "../tokens/token-usage.ts";
import { createStreamUsageCounter } from "../usage/count-usage.ts";
import type { RequestMeter } from "../usage/request-meter.ts";
import type { GenerationSpan } from "./generation-span.ts";

/** Records a turn in the chat log, when the data policy keeps it. */
export type ChatTurnRecorder = (
  response: Pick<ChatCompletion, "choices"> | { streamedText: string },
  tokens: TokenUsage,
) => void;

/**
 * A stream as the route writes it: `chunks` in order, each shown to `chunk` as it is sent, then
 * `end` once, however the stream ended, before its last event.
 */
export interface StreamAnswer {
  kind: "stream";
  chunks: AsyncIterable<ChatCompletionChunk>;
  chunk(chunk: ChatCompletionChunk): void;
  /**
   * `failureStatus` is null for a complete stream, the error's status for one that failed
   * after its headers, 499 when the client left; `isCut` when the gateway itself cut it short
   * (a shutdown), with its error's status. Reports the usage (the estimate first, in case
   * counting fails) and records the turn of a complete stream, or of a cut one with what was
   * sent, which the client has. When it throws, the stream must end with an error event, not
   * [DONE], and `failedAtEnd` be told its status.
   */
  end(failureStatus: number | null, how?: { isCut: boolean }): Promise<void>;
  failedAtEnd(status: number): void;
}

/** Follows a stream for its usage and its log record; `release` lets the meter end after `end`. */
export function followStream(
  deps: { textWork: TokenCounter },
  input: {
    request: ChatCompletionRequest;
    chunks: AsyncIterable<ChatCompletionChunk>;
    meter: Pick<RequestMeter, "report">;
    recordTurn: ChatTurnRecorder;
    release: () => void;
    /** ends with the usage counted at the stream's end */
    generation?: GenerationSpan;
  },
): StreamAnswer {
  const { meter } = input;
  const usage = createStreamUsageCounter(input.request);
  let streamedText = "";
  return {
    kind: "stream",
    chunks: input.chunks,
    chunk(chunk) {
      usage.observe(chunk);
      streamedText += chunk.choices[0]?.delta.content ?? "";
    },
    async end(failureStatus, how) {
      let counted: TokenUsage | null = null;
      try {
        // the best count known so far, in case counting or logging fails below
        const status = failureStatus !== null && { status: failureStatus };
        meter.report({ ...usage.estimate(), ...status });
        counted = await usage.count(deps.textWork);
        meter.report(counted);
        if (failureStatus === null || how?.isCut) input.recordTurn({ streamedText }, counted);
      } finally {
        input.generation?.end(counted, failureStatus);
        input.release();
      }
    },
    failedAtEnd(status) {
      meter.report({ status });
    },
  };
}
