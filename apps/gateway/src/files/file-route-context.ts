import { type Actor, actorOfPrincipal, DomainError, type FileDeps } from "@dsc/core";
import type { FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { principalOf } from "../plugins/authenticate.ts";

/** The file functions' dependencies; without configured storage the files API is unavailable. */
export function fileDeps(deps: GatewayDeps): FileDeps {
  if (!deps.fileStorage) throw new DomainError("unavailable", "File storage is not configured.");
  return { db: deps.db, clock: deps.clock, storage: deps.fileStorage };
}

/** The caller as the audit log records it: its credential, from its address. */
export function actorOf(request: FastifyRequest): Actor {
  return actorOfPrincipal(principalOf(request), request.ip);
}
