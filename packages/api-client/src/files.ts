import { z } from "zod";
import { ObjectIdSchema, RequestEndUserSchema } from "./identifiers.ts";

/** What an uploaded file is for, as OpenAI names it. */
export const FilePurposeSchema = z.enum(["assistants", "batch", "fine-tune", "vision", "user_data", "evals"]);
export type FilePurpose = z.infer<typeof FilePurposeSchema>;

export const FILE_EXPIRY_MIN_SECONDS = 3_600;
export const FILE_EXPIRY_MAX_SECONDS = 2_592_000;

/**
 * POST /v1/files, a `multipart/form-data` body. Form fields are text (numbers are read from
 * their digits); the SDKs send `expires_after: {anchor, seconds}` as the two bracketed fields.
 */
export const FileCreateRequestSchema = z.object({
  file: z.file().describe("The file's bytes, with its name in the part's `filename`."),
  purpose: FilePurposeSchema,
  "expires_after[anchor]": z
    .literal("created_at")
    .optional()
    .describe("What the expiry counts from; only `created_at`. Send it with `expires_after[seconds]`."),
  "expires_after[seconds]": z.coerce
    .number()
    .int()
    .min(FILE_EXPIRY_MIN_SECONDS)
    .max(FILE_EXPIRY_MAX_SECONDS)
    .optional()
    .describe(
      `Seconds after the anchor at which the file expires, ${FILE_EXPIRY_MIN_SECONDS} to ` +
        `${FILE_EXPIRY_MAX_SECONDS}. Without it, the organization's file retention applies (7 days by default).`,
    ),
  user: RequestEndUserSchema.describe(
    "Not in OpenAI's API: the end user the file is for, as chat completions' `user`, so that " +
      "exporting or erasing that user (`/v1/users/{user}`) includes the file.",
  ),
});
export type FileCreateRequest = z.input<typeof FileCreateRequestSchema>;

/** The text fields of an upload, validated once the form has been read. */
export const FileCreateFieldsSchema = FileCreateRequestSchema.omit({ file: true });
export type FileCreateFields = z.infer<typeof FileCreateFieldsSchema>;

/** GET /v1/files query. */
export const FileListQuerySchema = z.object({
  purpose: z.string().min(1).max(64).optional().describe("Only files with this purpose."),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .optional()
    .describe("How many files to return, 1 to 10000 (default 10000)."),
  after: ObjectIdSchema.optional().describe("A file id: return the files after it in this order."),
  order: z.enum(["asc", "desc"]).optional().describe("By `created_at`: `desc` (default) or `asc`."),
});
export type FileListQuery = z.input<typeof FileListQuerySchema>;

/** OpenAI's file object. `status` is always `processed` once the bytes are stored. */
export const FileObjectSchema = z.object({
  id: z.string(),
  object: z.literal("file"),
  bytes: z.number().int().min(0),
  created_at: z.number().int(),
  expires_at: z.number().int().nullable(),
  filename: z.string(),
  purpose: FilePurposeSchema,
  status: z.enum(["uploaded", "processed", "error"]),
});
export type FileObject = z.infer<typeof FileObjectSchema>;

/** GET /v1/files */
export const FileListSchema = z.object({
  object: z.literal("list"),
  data: z.array(FileObjectSchema),
  first_id: z.string().nullable(),
  last_id: z.string().nullable(),
  has_more: z.boolean(),
});
export type FileList = z.infer<typeof FileListSchema>;

/** DELETE /v1/files/{file_id} */
export const FileDeletedSchema = z.object({
  id: z.string(),
  object: z.literal("file"),
  deleted: z.boolean(),
});
export type FileDeleted = z.infer<typeof FileDeletedSchema>;
