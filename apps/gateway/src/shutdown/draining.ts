import { getLivenessOperation, getReadinessOperation } from "@dsc/api-client";
import { DomainError } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import { toHttpError } from "../errors/openai-error.ts";

/** Whether this gateway is shutting down; set once, by the shutdown. */
export interface Draining {
  readonly isDraining: boolean;
  start(): void;
}

export function createDraining(): Draining {
  let isDraining = false;
  return {
    get isDraining() {
      return isDraining;
    },
    start() {
      isDraining = true;
    },
  };
}

/** What a request that arrives during a shutdown is told: another instance can take it. */
export function shuttingDownError(): DomainError {
  return new DomainError(
    "unavailable",
    "The server is shutting down; retry the request.",
    null,
    "shutting_down",
  );
}

// liveness stays true and readiness says why it is false (health-routes.ts)
const SERVED_WHILE_DRAINING = new Set<unknown>([getLivenessOperation, getReadinessOperation]);

/**
 * Once draining, a request that still arrives (on a connection kept alive from before, since
 * no new connection is accepted) is answered 503 `shutting_down` in the API's error shape, and
 * its connection closes after the answer, so that the client retries elsewhere.
 */
export function refuseRequestsWhileDraining(app: FastifyInstance, draining: Draining) {
  app.addHook("onRequest", async (request, reply) => {
    if (!draining.isDraining) return;
    reply.header("connection", "close");
    if (SERVED_WHILE_DRAINING.has(request.routeOptions.config.operation)) return;
    // answered here, not thrown: an expected refusal is no failure for the error log
    const { status, body } = toHttpError(shuttingDownError());
    return reply.code(status).send(body);
  });
}
