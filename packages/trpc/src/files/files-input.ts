import { z } from "zod";
import { FILE_SORTS } from "../vocabulary.ts";

const organizationId = z.string().trim().min(1, "Choose an organization.").max(100);
const fileId = z.string().min(1).max(100);

/** The filters, sort and page of an organization's files. */
export const ListFilesInputSchema = z.object({
  organizationId,
  purpose: z.string().trim().max(64, "Enter at most 64 characters.").optional(),
  /** exactly as the API received it (never trimmed) */
  endUserId: z.string().min(1).max(256, "Enter at most 256 characters.").optional(),
  nameContains: z.string().trim().max(200, "Enter at most 200 characters.").optional(),
  expiresBefore: z.date().optional(),
  /** only what the next purge run removes */
  nextPurgeOnly: z.boolean().optional(),
  sort: z.enum(FILE_SORTS).default("created"),
  direction: z.enum(["asc", "desc"]).default("desc"),
  limit: z.number().int().min(1).max(100).default(25),
  /** the previous page's nextCursor */
  after: z.string().max(12).optional(),
});
export type ListFilesInput = z.input<typeof ListFilesInputSchema>;

export const FilesSummaryInputSchema = z.object({ organizationId });

export const DeleteFileInputSchema = z.object({ organizationId, fileId });

export const ChangeFileExpiryInputSchema = z.object({
  organizationId,
  fileId,
  expiresAt: z.date({ error: "Enter a date and time." }),
});
export type ChangeFileExpiryInput = z.input<typeof ChangeFileExpiryInputSchema>;
