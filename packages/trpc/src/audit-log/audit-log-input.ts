import { z } from "zod";

/** the most events one page answers: a CSV export reads the filter in pages of this many */
export const AUDIT_LOG_PAGE_MAX_SIZE = 1_000;

/** The audit log's filters and page; each filter absent means any. */
export const SearchAuditLogInputSchema = z
  .object({
    actorId: z.string().trim().min(1).max(200).optional(),
    /** exact */
    action: z.string().trim().min(1).max(200).optional(),
    targetType: z.string().trim().min(1).max(100).optional(),
    targetId: z.string().trim().min(1).max(200).optional(),
    organizationId: z.string().trim().min(1).max(100).optional(),
    /** occurred at or after */
    from: z.date().optional(),
    /** occurred before */
    to: z.date().optional(),
    limit: z.number().int().min(1).max(AUDIT_LOG_PAGE_MAX_SIZE).default(50),
    after: z.string().max(40).optional(),
  })
  .refine((input) => input.targetId === undefined || input.targetType !== undefined, {
    message: "Choose the target's type with its id.",
    path: ["targetType"],
  })
  .refine((input) => !input.from || !input.to || input.from < input.to, {
    message: "The start must be before the end.",
    path: ["to"],
  });
export type SearchAuditLogInput = z.input<typeof SearchAuditLogInputSchema>;
