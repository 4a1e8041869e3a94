import { once } from "node:events";
import type { OutgoingHttpHeaders, ServerResponse } from "node:http";
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
   * Called once, after the last chunk and before the stream's last event: `failureStatus` is
   * null for a complete stream, the error's status for one that failed after its headers, 499
   * when the client left; `isCut` when the gateway cut it (its error's status). When it throws,
   * the stream ends with an error event, not [DONE].
   */
  end(failureStatus: number | null, how?: { isCut: boolean }): void | Promise<void>;
  /** `end` threw: the stream ended with an error event of this status instead of [DONE] */
  failedAtEnd?(status: number): void;
}

export interface StreamSignals {
  /** aborted when the client went away: nothing more is written, the upstream stops */
  clientLeft: AbortSignal;
  /**
   * aborted by the gateway (a shutdown whose grace ran out), its reason an error: the stream
   * stops at once and ends with that error event, metered like any stream
   */
  cut?: AbortSignal;
}

/**
 * Sends chunks as server-sent events, `data: {json}`, then `data: [DONE]`: the events of one
 * turn of the event loop in one write at its end, so each goes out in the turn it came. A
 * failure after the first byte (of the upstream, or of the work that ends the stream: counting,
 * logging) ends the stream with one OpenAI-style `data: {"error":…}` event (which the SDKs
 * raise) and no [DONE], so it cannot pass for a complete answer; the response ends in every
 * case. Once the socket's buffer is over its mark, the next chunk waits for it to drain; when
 * the client goes away the route's abort stops the upstream call. A cut stream ends the same
 * way, with the cut's error, even while the upstream is silent.
 */
export async function sendEventStream(
  reply: FastifyReply,
  chunks: AsyncIterable<ChatCompletionChunk>,
  signals: StreamSignals,
  options: EventStreamOptions,
  observer?: StreamObserver,
): Promise<void> {
  const { clientLeft, cut } = signals;
  const res = reply.raw;
  try {
    reply.hijack();
    res.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache, no-transform",
      connection: "keep-alive",
      "x-accel-buffering": "no",
    });
  } catch (error) {
    // nothing was sent: the chunks are let go (their upstream socket closed, the router's count
    // of requests in flight ended), the observer still ends (the meter waits for it), and the
    // error answers
    await letGo(chunks);
    await Promise.resolve(observer?.end(500)).catch(() => {});
    throw error;
  }

  let lastWrite = Date.now();
  const events = coalescedWrites(res, (error) => reply.log.error({ err: error }, "stream write failed"));
  const write = async (text: string) => {
    if (res.destroyed || clientLeft.aborted) return;
    lastWrite = Date.now();
    await events.write(text);
  };
  // also while the end is being counted and logged, which can take a while for a long prompt
  const keepAlive = setInterval(
    () => {
      // one comment line, no blank line after it: strict parsers treat that as an empty event
      if (Date.now() - lastWrite >= options.keepAliveMs) void write(": keep-alive\n");
    },
    Math.max(10, Math.floor(options.keepAliveMs / 2)),
  );

  try {
    let failure: ReturnType<typeof toHttpError> | null = null;
    const stop = { isCut: false };
    try {
      for await (const chunk of cut ? untilCut(chunks, cut, stop) : chunks) {
        if (clientLeft.aborted) break;
        observer?.chunk(chunk);
        await write(`data: ${JSON.stringify(chunk)}\n\n`);
      }
    } catch (error) {
      // a cut also stops the upstream, whose error then says only that it was aborted
      if (cut?.aborted) stop.isCut = true;
      else if (!clientLeft.aborted) {
        reply.log.error({ err: error }, "stream failed after the first byte");
        failure = toHttpError(error);
      }
    }
    const isCut = stop.isCut && !clientLeft.aborted;
    if (isCut) failure = toHttpError(cut?.reason);
    try {
      // metering learns how the stream ended before the client does
      await observer?.end(clientLeft.aborted ? 499 : (failure?.status ?? null), { isCut });
    } catch (error) {
      reply.log.error({ err: error }, "the end of a stream failed");
      if (failure === null && !clientLeft.aborted) {
        failure = toHttpError(error);
        observer?.failedAtEnd?.(failure.status);
      }
    }
    await write(failure ? `data: ${JSON.stringify(failure.body)}\n\n` : "data: [DONE]\n\n");
  } catch (error) {
    // a write or an observer that threw where nothing should: the response still ends below
    reply.log.error({ err: error }, "stream could not be ended cleanly");
  } finally {
    clearInterval(keepAlive);
    events.end();
  }
}

/**
 * The events written in one turn of the event loop, sent to the socket as one write at the end
 * of it (setImmediate) instead of a write each: an upstream's read often holds several events,
 * and every write is a system call and a pass through Node's stream machinery, which made a
 * six-event stream cost the gateway more than half again a JSON answer's CPU. A write waits only
 * while the socket's buffer is over its mark (the client reads slower than the upstream
 * writes), as before; the end sends what is still gathered with the response's end.
 */
function coalescedWrites(res: ServerResponse, onWriteFailure: (error: unknown) => void) {
  let gathered = "";
  let isFlushScheduled = false;
  let socketFull: Promise<void> | null = null;
  const flush = () => {
    isFlushScheduled = false;
    if (gathered === "" || res.writableEnded || res.destroyed) return;
    const text = gathered;
    gathered = "";
    let isWritten: boolean;
    try {
      isWritten = res.write(text);
    } catch (error) {
      // outside the stream's own try (a callback of the event loop): the response is closed
      // instead, which stops the upstream, and the stream then ends as when the client left
      onWriteFailure(error);
      res.destroy();
      return;
    }
    if (!isWritten) {
      // an error closes the response too; the listener of the event that did not come is removed
      const settled = new AbortController();
      const drained: Promise<void> = Promise.race([
        once(res, "drain", { signal: settled.signal }),
        once(res, "close", { signal: settled.signal }),
      ]).then(
        () => {
          settled.abort();
          if (socketFull === drained) socketFull = null;
        },
        () => settled.abort(),
      );
      socketFull = drained;
    }
  };
  return {
    async write(text: string): Promise<void> {
      gathered += text;
      if (!isFlushScheduled) {
        isFlushScheduled = true;
        setImmediate(flush);
      }
      if (socketFull) await socketFull;
    },
    end(): void {
      const text = gathered;
      gathered = "";
      if (res.writableEnded) return;
      if (text === "" || res.destroyed) res.end();
      else res.end(text);
    },
  };
}

/**
 * Ends a stream nobody will read. A generator's cleanup (its `finally`) runs only once it has
 * started: `return()` on one never started skips it, so it is started, then stopped. Its first
 * chunk is already there (the provider resolved with it), so this does not wait on the upstream.
 */
async function letGo(chunks: AsyncIterable<unknown>): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]();
  try {
    await iterator.next();
  } catch {
    // a failure of a stream nobody reads is nobody's to hear
  } finally {
    await Promise.resolve(iterator.return?.()).catch(() => {});
  }
}

/**
 * The chunks until `cut` is aborted, which ends the iteration at once rather than at the
 * upstream's next chunk (a silent upstream would hold the stream open for its whole timeout).
 * Each read races a waiter of its own: racing every read against one promise that lives as long
 * as the stream left a reaction on that promise per chunk, held until the stream ended.
 */
export async function* untilCut<T>(
  chunks: AsyncIterable<T>,
  cut: AbortSignal,
  stop: { isCut: boolean },
): AsyncGenerator<T> {
  const iterator = chunks[Symbol.asyncIterator]();
  let wake: (() => void) | null = null;
  const onCut = () => wake?.();
  cut.addEventListener("abort", onCut, { once: true });
  let isDone = false;
  try {
    while (!cut.aborted) {
      const next = iterator.next();
      const first = await Promise.race([
        next,
        new Promise<"cut">((resolve) => {
          wake = () => resolve("cut");
        }),
      ]);
      wake = null;
      if (first === "cut") {
        // the upstream, aborted with the call, settles the pending read later: nobody waits for it
        next.catch(() => {});
        break;
      }
      if (first.done) {
        isDone = true;
        return;
      }
      yield first.value;
    }
    stop.isCut = true;
  } finally {
    cut.removeEventListener("abort", onCut);
    if (!isDone) void Promise.resolve(iterator.return?.()).catch(() => {});
  }
}
