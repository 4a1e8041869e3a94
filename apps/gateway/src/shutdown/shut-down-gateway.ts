import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import type { InFlightChats } from "../chat/in-flight-chats.ts";
import { type Draining, shuttingDownError } from "./draining.ts";

/**
 * How long cut streams get to write their error event before every connection left is closed:
 * their usage is counted first, and a client that stopped reading holds its last write.
 */
export const LAST_WRITES_MS = 5_000;

export interface GatewayShutdownDeps {
  app: FastifyInstance;
  draining: Draining;
  chats: InFlightChats;
  /** writes what the batched writers hold (usage events, chat logs) and closes the rest */
  closeDeps(): Promise<void>;
  logger: { info(details: object, message: string): void; warn(details: object, message: string): void };
}

export interface GatewayShutdownOptions {
  /** how long requests in flight, streams above all, may take to end by themselves (SHUTDOWN_GRACE_MS) */
  graceMs: number;
  /** aborted by a second signal: the grace ends now (cut streams still write their last event) */
  hurry?: AbortSignal;
}

/**
 * Stops the gateway without losing what it owes: no new connection is accepted and /readyz
 * turns 503 at once (so that a load balancer drains this instance), a request that still comes
 * on a kept-alive connection gets 503 `shutting_down`; requests in flight may end within the
 * grace; past it each chat completion still running is cut (a stream ends with an error event,
 * a JSON call answers 503), its tokens so far metered and its turn logged like any other; then
 * the usage events and chat logs are written. Resolves when all is written (server.ts exits 0).
 */
export async function shutDownGateway(deps: GatewayShutdownDeps, options: GatewayShutdownOptions) {
  const { app, chats, logger } = deps;
  deps.draining.start();
  // an answer still going out leaves its connection idle: closed within a second after it, not
  // after KEEP_ALIVE_TIMEOUT_MS (Node reads this when an answer ends)
  app.server.keepAliveTimeout = 1;
  const closed = app.close().catch((error: unknown) => {
    // the writers must still be flushed below
    logger.warn({ err: error }, "the server did not close cleanly");
  });
  if (!(await endsWithin(closed, options.graceMs, options.hurry))) {
    logger.warn({ chats: chats.count }, "shutdown grace over: cutting the chat completions still running");
    chats.cutAll(shuttingDownError());
    await endsWithin(chats.whenNone(), LAST_WRITES_MS);
    // what is left has had its time (an upload, a client that reads nothing): its meter sees it leave
    app.server.closeAllConnections();
    await closed;
  }
  // a JSON answer sent within the grace may still be settling its usage and logging its turn
  await chats.whenNone();
  logger.info({}, "requests ended: writing usage events and chat logs");
  await deps.closeDeps();
}

/** Whether `work` settled within `ms`, or before `hurry` was aborted. */
async function endsWithin(work: Promise<unknown>, ms: number, hurry?: AbortSignal): Promise<boolean> {
  if (hurry?.aborted) return false;
  const timer = new AbortController();
  const stop = AbortSignal.any(hurry ? [timer.signal, hurry] : [timer.signal]);
  const deadline = sleep(ms, false, { signal: stop }).catch(() => false);
  try {
    return await Promise.race([work.then(() => true), deadline]);
  } finally {
    timer.abort();
  }
}
