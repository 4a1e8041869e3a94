import { Readable } from "node:stream";
import { type DeletionRequestObject, unixSeconds } from "@dsc/api-client";
import {
  actorOfPrincipal,
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
        subjectId: request.params.user,
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
          id: request.params.id,
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
        endUserId: request.params.user,
        actor: actorOfPrincipal(principal, request.ip),
      });
      return reply.type("application/json; charset=utf-8").send(Readable.from(userExportJson(data)));
    },
  );
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
