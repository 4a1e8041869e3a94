import { Readable } from "node:stream";
import { type DeletionRequestObject, EndUserIdSchema, ObjectIdSchema, unixSeconds } from "@dsc/api-client";
import {
  actorOfPrincipal,
  DomainError,
  exportSubjectData,
  getDeletionRequest,
  type MasterKeyring,
  requestDeletion,
} from "@dsc/core";
import type { DeletionRequest } from "@dsc/db";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { userExportJson } from "./user-export.ts";

/**
 * GDPR/CCPA for end users: erasure (`DELETE /v1/users/{user}`, processed by the worker within
 * 72 hours), its status, and export. `{user}` is the id the organization sends as `user`.
 */
export function registerComplianceRoutes(
  app: FastifyInstance,
  deps: GatewayDeps & { keyring: MasterKeyring },
) {
  app.delete<{ Params: { user: string } }>(
    "/v1/users/:user",
    { config: { scope: "users:delete" } },
    async (request, reply): Promise<DeletionRequestObject> => {
      const principal = principalOf(request);
      const { request: deletion } = await requestDeletion(deps, {
        organizationId: principal.organizationId,
        subjectType: "END_USER",
        subjectId: endUserOf(request.params.user),
        actor: actorOfPrincipal(principal, request.ip),
      });
      reply.code(202);
      return toDeletionRequestObject(deletion);
    },
  );

  app.get<{ Params: { id: string } }>(
    "/v1/deletion_requests/:id",
    { config: { scope: "users:delete" } },
    async (request): Promise<DeletionRequestObject> =>
      toDeletionRequestObject(
        await getDeletionRequest(deps, {
          organizationId: principalOf(request).organizationId,
          id: deletionRequestIdOf(request.params.id),
        }),
      ),
  );

  app.get<{ Params: { user: string } }>(
    "/v1/users/:user/export",
    { config: { scope: "users:export" } },
    async (request, reply) => {
      const principal = principalOf(request);
      const data = await exportSubjectData(deps, {
        organizationId: principal.organizationId,
        endUserId: endUserOf(request.params.user),
        actor: actorOfPrincipal(principal, request.ip),
      });
      return reply.type("application/json; charset=utf-8").send(Readable.from(userExportJson(data)));
    },
  );
}

/**
 * `{user}` exactly as the organization sent it as `user` (chat, uploads): the one schema that
 * refuses an id there refuses it here, so what can be stored can always be exported and erased.
 */
function endUserOf(user: string): string {
  const result = EndUserIdSchema.safeParse(user);
  if (result.success) return result.data;
  const message = result.error.issues[0]?.message ?? "invalid";
  throw new DomainError("invalid", `Invalid value for 'user': ${message}.`, "user", "invalid_value");
}

/** An id that cannot be one of ours is unknown, answered without asking the database. */
function deletionRequestIdOf(id: string): string {
  if (ObjectIdSchema.safeParse(id).success) return id;
  throw new DomainError("not_found", "No deletion request with that id.", "id");
}

function toDeletionRequestObject(request: DeletionRequest): DeletionRequestObject {
  const report = request.report as { erased?: Record<string, number> } | null;
  return {
    id: request.id,
    object: "deletion_request",
    subject: {
      type:
        request.subjectType === "END_USER"
          ? "end_user"
          : request.subjectType === "ORGANIZATION"
            ? "organization"
            : "account",
      id: request.subjectId,
    },
    status: request.status.toLowerCase() as DeletionRequestObject["status"],
    created_at: unixSeconds(request.createdAt),
    due_at: unixSeconds(request.dueAt),
    completed_at: request.completedAt ? unixSeconds(request.completedAt) : null,
    report:
      report?.erased && request.completedAt
        ? { erased: report.erased, completed_at: unixSeconds(request.completedAt) }
        : null,
    report_sha256: request.reportSha256,
  };
}
