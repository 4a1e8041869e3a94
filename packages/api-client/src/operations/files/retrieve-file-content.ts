import { defineOperation } from "../define-operation.ts";
import { FileIdParamsSchema } from "./file-id-params.ts";

export const retrieveFileContentOperation = defineOperation({
  id: "retrieveFileContent",
  method: "GET",
  path: "/v1/files/{file_id}/content",
  scope: "files",
  summary: "Download a file's content",
  description:
    "The bytes as uploaded, streamed, with the uploaded `Content-Type`, `Content-Length` and " +
    "`Content-Disposition: attachment` carrying the file name (RFC 6266, `filename*`).",
  tags: ["Files"],
  params: FileIdParamsSchema,
  responses: { 200: { description: "The file's bytes.", binary: "application/octet-stream" } },
  errors: { 400: {}, 401: {}, 403: {}, 404: { codes: ["file_not_found"] }, 429: {}, 500: {}, 503: {} },
});
