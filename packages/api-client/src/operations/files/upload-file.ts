import { FileCreateRequestSchema, FileObjectSchema } from "../../files.ts";
import { defineOperation } from "../define-operation.ts";

export const createFileOperation = defineOperation({
  id: "createFile",
  method: "POST",
  path: "/v1/files",
  scope: "files",
  summary: "Upload a file",
  description:
    "Streams the file to storage, computing its SHA-256 on the way; larger than the plan's " +
    "maximum file size is a 413 and nothing is kept. The file expires `expires_after[seconds]` " +
    "after upload, or else after the organization's file retention (7 days unless configured); " +
    "an organization's own retention setting is also a ceiling.",
  tags: ["Files"],
  body: { kind: "multipart", schema: FileCreateRequestSchema },
  responses: { 200: { description: "The stored file.", json: FileObjectSchema } },
  errors: {
    400: {
      codes: [
        "invalid_multipart",
        "invalid_value",
        "missing_required_parameter",
        "invalid_filename",
        "empty_file",
        "upload_incomplete",
      ],
    },
    401: {},
    403: {},
    409: { codes: ["erased_during_upload"] },
    413: { codes: ["file_too_large", "storage_quota_exceeded"] },
    415: {},
    429: {},
    500: {},
    503: {},
  },
});
