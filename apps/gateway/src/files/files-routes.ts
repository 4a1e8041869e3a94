import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { registerCreateFile } from "./create-file.ts";
import { registerDeleteFile } from "./delete-file.ts";
import { registerFileContent } from "./file-content.ts";
import { registerListFiles } from "./list-files.ts";
import { registerRetrieveFile } from "./retrieve-file.ts";
import { MULTIPART_OPTIONS } from "./upload-parts.ts";

/**
 * The Files API. The upload route lives in a scope of its own that parses only
 * multipart/form-data, so nothing else in the gateway accepts multipart bodies and an upload
 * sent as anything else is a 415.
 */
export function registerFileRoutes(app: FastifyInstance, deps: GatewayDeps) {
  app.register(async (files) => {
    registerListFiles(files, deps);
    registerRetrieveFile(files, deps);
    registerFileContent(files, deps);
    registerDeleteFile(files, deps);
    await files.register(async (uploads) => {
      uploads.removeAllContentTypeParsers();
      await uploads.register(multipart, MULTIPART_OPTIONS);
      registerCreateFile(uploads, deps);
    });
  });
}
