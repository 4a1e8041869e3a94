import { once } from "node:events";
import type { OutgoingHttpHeaders } from "node:http";
import type { ChatCompletionChunk } from "@dsc/api-client";
import type { FastifyReply } from "fastify";
import { toHttpError } from "../errors/openai-error.ts";

export interface EventStreamOptions {
  /** a `:` comment line is written after this long without an event */
  keepAliveMs: number;
}

/** Follows a stream for metering: each chunk as it is sent, and the end, however it came. */
export interface StreamObserver {
  chunk(chunk: ChatCompletionChunk): void;
  /**
   * Called once, before the response ends: `failureStatus` is null for a complete stream,
   * the error's status for one that failed after its headers, 499 when the client left.
   */
  end(failureStatus: number | null): void;
}

/**
 * Sends chunks as server-sent events, each flushed as it comes: `data: {json}`, then
 * `data: [DONE]`. A failure after the first byte ends the stream with one OpenAI-style
 * `data: {"error":…}` event (which the SDKs raise) and no [DONE], so it cannot pass for a
 * complete answer. Writes wait for the socket to drain; when the client goes away the abort
 * controller stops the upstream call.
 */
export async function sendEventStream(
  reply: FastifyReply,
  chunks: AsyncIterable<ChatCompletionChunk>,
  abort: AbortController,
  options: EventStreamOptions,
  observer?: StreamObserver,
): Promise<void> {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, {
    ...(reply.getHeaders() as OutgoingHttpHeaders),
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache, no-transform",
    connection: "keep-alive",
    "x-accel-buffering": "no",
  });

  let lastWrite = Date.now();
  const write = async (text: string) => {
    if (res.destroyed || abort.signal.aborted) return;
    lastWrite = Date.now();
    if (!res.write(text)) await Promise.race([once(res, "drain"), once(res, "close")]);
  };
  const keepAlive = setInterval(
    () => {
      // one comment line, no blank line after it: strict parsers treat that as an empty event
      if (Date.now() - lastWrite >= options.keepAliveMs) void write(": keep-alive\n");
    },
    Math.max(10, Math.floor(options.keepAliveMs / 2)),
  );

  let failureStatus: number | null = null;
  try {
    for await (const chunk of chunks) {
      if (abort.signal.aborted) break;
      observer?.chunk(chunk);
      await write(`data: ${JSON.stringify(chunk)}\n\n`);
    }
    await write("data: [DONE]\n\n");
  } catch (error) {
    if (!abort.signal.aborted) {
      reply.log.error({ err: error }, "stream failed after the first byte");
      const failure = toHttpError(error);
      failureStatus = failure.status;
      await write(`data: ${JSON.stringify(failure.body)}\n\n`);
    }
  } finally {
    clearInterval(keepAlive);
    // metering learns how the stream ended before the response does
    observer?.end(abort.signal.aborted ? 499 : failureStatus);
    res.end();
  }
}
