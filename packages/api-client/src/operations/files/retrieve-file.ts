import { FileObjectSchema } from "../../files.ts";
import { defineOperation } from "../define-operation.ts";
import { FileIdParamsSchema } from "./file-id-params.ts";

export const retrieveFileOperation = defineOperation({
  id: "retrieveFile",
  method: "GET",
  path: "/v1/files/{file_id}",
  scope: "files",
  summary: "Retrieve a file",
  tags: ["Files"],
  params: FileIdParamsSchema,
  responses: { 200: { description: "The file.", json: FileObjectSchema } },
  errors: { 400: {}, 401: {}, 403: {}, 404: { codes: ["file_not_found"] }, 429: {}, 500: {}, 503: {} },
});
