import { z } from "zod";
import {
  USAGE_BUCKET_MAX_RANGE_MS,
  USAGE_BUCKETS,
  USAGE_GROUPINGS,
  type UsageBucket,
} from "../vocabulary.ts";

const id = z.string().trim().min(1).max(100);

/** usage is dated 2000 up to 2100: past these, a date is a mistake (and PostgreSQL's timestamp
 * cannot read a year past 9999) */
const EARLIEST_DATE = new Date(Date.UTC(2000, 0, 1));
const LATEST_DATE = new Date(Date.UTC(2100, 0, 1));
const OUTSIDE_DATES = "Choose a date from the year 2000 to 2100.";
const usageDate = (missing: string) =>
  z.date({ error: missing }).min(EARLIEST_DATE, OUTSIDE_DATES).max(LATEST_DATE, OUTSIDE_DATES);

const BUCKET_NAMES: Record<UsageBucket, string> = { minute: "Minute", hour: "Hour", day: "Day" };

function longestRange(bucket: UsageBucket): string {
  const hours = USAGE_BUCKET_MAX_RANGE_MS[bucket] / 3_600_000;
  return hours <= 48 ? `${hours} hours` : `${hours / 24} days`;
}

export const UsageAnalyticsInputSchema = z
  .object({
    /** omitted: every organization (admins only; a developer's own is forced) */
    organizationId: id.optional(),
    /** the range is half-open, [from, to), widened to whole buckets */
    from: usageDate("Choose when the range starts."),
    to: usageDate("Choose when the range ends."),
    bucket: z.enum(USAGE_BUCKETS, { error: "Choose minute, hour or day buckets." }),
    /** endUser: within one organization (a developer's own, or the one chosen) */
    groupBy: z.enum(USAGE_GROUPINGS, { error: "Choose how to group the usage." }).default("none"),
    tierId: id.optional(),
    modelId: id.optional(),
    apiKeyId: id.optional(),
  })
  .superRefine((input, context) => {
    const span = input.to.getTime() - input.from.getTime();
    if (!(span > 0)) {
      context.addIssue({ code: "custom", path: ["to"], message: "The range must end after it starts." });
    } else if (span > USAGE_BUCKET_MAX_RANGE_MS[input.bucket]) {
      context.addIssue({
        code: "custom",
        path: ["to"],
        message: `${BUCKET_NAMES[input.bucket]} buckets can span at most ${longestRange(input.bucket)}; choose a shorter range or larger buckets.`,
      });
    }
  });
export type UsageAnalyticsInput = z.input<typeof UsageAnalyticsInputSchema>;

export const UsageQuotaInputSchema = z.object({ organizationId: id });
export type UsageQuotaInput = z.input<typeof UsageQuotaInputSchema>;
