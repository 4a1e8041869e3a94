import { Readable } from "node:stream";
import {
  type DeletionRequestObject,
  deleteUserDataOperation,
  exportUserDataOperation,
  ObjectIdSchema,
  retrieveDeletionRequestOperation,
  unixSeconds,
} from "@dsc/api-client";
import {
  actorOfPrincipal,
  DomainError,
  erasureWaitOf,
  exportSubjectData,
  getDeletionRequest,
  type MasterKeyring,
  requestDeletion,
} from "@dsc/core";
import type { DeletionRequest } from "@dsc/db";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { serveOperation } from "../operations/serve-operation.ts";
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
  // `{user}` is checked by the operation with the schema that checks chat's and uploads' `user`,
  // so what can be stored can always be exported and erased
  serveOperation(
    app,
    deleteUserDataOperation,
  )(async ({ request, reply, params }) => {
    const principal = principalOf(request);
    const { request: deletion } = await requestDeletion(deps, {
      organizationId: principal.organizationId,
      subjectType: "END_USER",
      subjectId: params.user,
      actor: actorOfPrincipal(principal, request.ip),
    });
    reply.code(202);
    return toDeletionRequestObject(deletion);
  });

  serveOperation(
    app,
    retrieveDeletionRequestOperation,
  )(async ({ request, params }) =>
    toDeletionRequestObject(
      await getDeletionRequest(deps, {
        organizationId: principalOf(request).organizationId,
        id: deletionRequestIdOf(params.id),
      }),
    ),
  );

  serveOperation(
    app,
    exportUserDataOperation,
  )(async ({ request, reply, params }) => {
    const principal = principalOf(request);
    const data = await exportSubjectData(deps, {
      organizationId: principal.organizationId,
      endUserId: params.user,
      actor: actorOfPrincipal(principal, request.ip),
    });
    return reply.type("application/json; charset=utf-8").send(Readable.from(userExportJson(data)));
  });
}

/** An id that cannot be one of ours is unknown, answered without asking the database. */
function deletionRequestIdOf(id: string): string {
  if (ObjectIdSchema.safeParse(id).success) return id;
  throw new DomainError("not_found", "No deletion request with that id.", "id");
}

function toDeletionRequestObject(request: DeletionRequest): DeletionRequestObject {
  const report = request.report as { erased?: Record<string, number> } | null;
  const wait = erasureWaitOf(request);
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
    ...(request.status === "ON_HOLD" && request.holdReason ? { hold_reason: request.holdReason } : {}),
    ...(wait ? { waiting_for: { step: wait.step, until: unixSeconds(wait.until) } } : {}),
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
