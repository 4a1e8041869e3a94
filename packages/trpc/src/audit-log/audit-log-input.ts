import { z } from "zod";

/** the most events one page answers: a CSV export reads the filter in pages of this many */
export const AUDIT_LOG_PAGE_MAX_SIZE = 1_000;
/** the most events one CSV export holds: beyond it, the filter should be narrowed */
export const AUDIT_LOG_EXPORT_MAX_ROWS = 100_000;

/** The audit log's filters; each one absent means any. */
const AUDIT_LOG_FILTER_FIELDS = {
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
};

type FilterRules = { targetType?: string; targetId?: string; from?: Date; to?: Date };
const namesTargetType = (filter: FilterRules) =>
  filter.targetId === undefined || filter.targetType !== undefined;
const NAMES_TARGET_TYPE = { message: "Choose the target's type with its id.", path: ["targetType"] };
// no index reads one type's events in id order (the index is (target_type, target_id))
const namesTargetId = (filter: FilterRules) =>
  filter.targetType === undefined || filter.targetId !== undefined;
const NAMES_TARGET_ID = {
  message: "Enter the target's id with its type; to see every event of a kind, filter by action.",
  path: ["targetId"],
};
const isOrderedRange = (filter: FilterRules) => !filter.from || !filter.to || filter.from < filter.to;
const IS_ORDERED_RANGE = { message: "The start must be before the end.", path: ["to"] };

export const AuditLogFilterSchema = z
  .object(AUDIT_LOG_FILTER_FIELDS)
  .refine(namesTargetType, NAMES_TARGET_TYPE)
  .refine(namesTargetId, NAMES_TARGET_ID)
  .refine(isOrderedRange, IS_ORDERED_RANGE);
export type AuditLogFilter = z.input<typeof AuditLogFilterSchema>;

/** The audit log's filters and page. */
export const SearchAuditLogInputSchema = z
  .object({
    ...AUDIT_LOG_FILTER_FIELDS,
    limit: z.number().int().min(1).max(AUDIT_LOG_PAGE_MAX_SIZE).default(50),
    after: z.string().max(40).optional(),
  })
  .refine(namesTargetType, NAMES_TARGET_TYPE)
  .refine(namesTargetId, NAMES_TARGET_ID)
  .refine(isOrderedRange, IS_ORDERED_RANGE);
export type SearchAuditLogInput = z.input<typeof SearchAuditLogInputSchema>;

/** A CSV export about to be offered: the filter it read and how many events it holds. */
export const RecordAuditLogExportInputSchema = z.object({
  filter: AuditLogFilterSchema,
  rows: z.number().int().min(0).max(AUDIT_LOG_EXPORT_MAX_ROWS),
});
export type RecordAuditLogExportInput = z.input<typeof RecordAuditLogExportInputSchema>;
