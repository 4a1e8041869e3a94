import { FileDeletedSchema } from "../../files.ts";
import { defineOperation } from "../define-operation.ts";
import { FileIdParamsSchema } from "./file-id-params.ts";

export const deleteFileOperation = defineOperation({
  id: "deleteFile",
  method: "DELETE",
  path: "/v1/files/{file_id}",
  scope: "files",
  summary: "Delete a file",
  tags: ["Files"],
  params: FileIdParamsSchema,
  responses: { 200: { description: "The file is deleted.", json: FileDeletedSchema } },
  errors: {
    400: {},
    401: {},
    403: {},
    404: { codes: ["file_not_found"] },
    409: { codes: ["legal_hold"] },
    // a body is not needed, but one that is sent must be JSON and within the limit
    413: {},
    415: {},
    429: {},
    500: {},
    503: {},
  },
});
