import { ObjectIdSchema } from "@dsc/api-client";
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

/**
 * `{file_id}` of a files route. An id that cannot be one of ours (NUL, unpaired surrogates,
 * longer than any) is an unknown file, answered as core answers one without asking the
 * database, which would refuse such text with an error.
 */
export function fileIdOf(params: { file_id: string }): string {
  const id = params.file_id;
  if (ObjectIdSchema.safeParse(id).success) return id;
  throw new DomainError("not_found", `No such file: '${id.slice(0, 64)}'.`, "file_id", "file_not_found");
}
