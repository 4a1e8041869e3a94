import { FileListQuerySchema, FileListSchema } from "../../files.ts";
import { defineOperation } from "../define-operation.ts";

export const listFilesOperation = defineOperation({
  id: "listFiles",
  method: "GET",
  path: "/v1/files",
  scope: "files",
  summary: "List files",
  description: "The organization's files that have not expired, newest first unless `order=asc`.",
  tags: ["Files"],
  query: FileListQuerySchema,
  responses: { 200: { description: "A page of files.", json: FileListSchema } },
  errors: { 400: { codes: ["invalid_value"] }, 401: {}, 403: {}, 429: {}, 500: {}, 503: {} },
});
