import { END_USER_ID_MAX_LENGTH, EndUserIdSchema } from "@dsc/api-client";
import { z } from "zod";
import { DELETION_REQUEST_FILTERS } from "../vocabulary.ts";

/** The filters and page of the deletion-request list. */
export const ListDeletionRequestsInputSchema = z.object({
  /** absent = every organization */
  organizationId: z.string().min(1).max(100).optional(),
  /** a status, or AT_RISK; absent = every request */
  status: z.enum(DELETION_REQUEST_FILTERS).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  /** the id of the last request of the page before */
  after: z.string().max(100).optional(),
});

/** the most requests one CSV export of the register holds: past it, a filter makes it smaller */
export const DELETION_REGISTER_EXPORT_MAX_ROWS = 20_000;

/** A CSV export of the register about to be offered: the list's filter and how many requests it holds. */
export const RecordDeletionRegisterExportInputSchema = z.object({
  filter: z.object({
    organizationId: z.string().min(1).max(100).optional(),
    status: z.enum(DELETION_REQUEST_FILTERS).optional(),
  }),
  rows: z.number().int().min(0).max(DELETION_REGISTER_EXPORT_MAX_ROWS),
});
export type RecordDeletionRegisterExportInput = z.input<typeof RecordDeletionRegisterExportInputSchema>;

export const GetDeletionRequestInputSchema = z.object({ deletionRequestId: z.string().min(1).max(100) });

/** An erasure of one end user (the `user` an organization sends with its API calls). */
export const RequestEndUserErasureInputSchema = z.object({
  organizationId: z.string().trim().min(1, "Choose an organization.").max(100),
  // exactly as the API received it (never trimmed), so the erasure finds what was stored
  endUserId: z
    .string()
    .min(1, "Enter the end user's id.")
    .max(END_USER_ID_MAX_LENGTH, `Use at most ${END_USER_ID_MAX_LENGTH} characters.`)
    .pipe(EndUserIdSchema),
});
export type RequestEndUserErasureInput = z.input<typeof RequestEndUserErasureInputSchema>;

/** The request a compliance officer acts on: overriding its hold, or retrying it. */
export const DeletionRequestActionInputSchema = z.object({ id: z.string().min(1).max(100) });
