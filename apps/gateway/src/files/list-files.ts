import { type FileList, FileListQuerySchema } from "@dsc/api-client";
import { DomainError, listFiles } from "@dsc/core";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { principalOf } from "../plugins/authenticate.ts";
import { toFileObject } from "./file-object.ts";
import { fileDeps } from "./file-route-context.ts";

/** GET /v1/files: a page of the caller's organization's files. */
export function registerListFiles(app: FastifyInstance, deps: GatewayDeps) {
  app.get("/v1/files", { config: { scope: "files" } }, async (request): Promise<FileList> => {
    const parsed = FileListQuerySchema.safeParse(request.query ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const param = String(issue?.path[0] ?? "");
      throw new DomainError(
        "invalid",
        `Invalid value for '${param}': ${issue?.message}.`,
        param,
        "invalid_value",
      );
    }
    const { files, hasMore } = await listFiles(fileDeps(deps), {
      organizationId: principalOf(request).organizationId,
      ...parsed.data,
    });
    return {
      object: "list",
      data: files.map(toFileObject),
      first_id: files[0]?.id ?? null,
      last_id: files.at(-1)?.id ?? null,
      has_more: hasMore,
    };
  });
}
