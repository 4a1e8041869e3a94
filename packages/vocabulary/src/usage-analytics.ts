/** The buckets of the usage charts, and the longest range each may span (more points would not help a chart). */
export const USAGE_BUCKETS = ["minute", "hour", "day"] as const;
export type UsageBucket = (typeof USAGE_BUCKETS)[number];
export const USAGE_BUCKET_MAX_RANGE_MS: Record<UsageBucket, number> = {
  minute: 24 * 3_600_000,
  hour: 31 * 86_400_000,
  day: 400 * 86_400_000,
};

/** What usage can be grouped by; end users only within one organization. */
export const USAGE_GROUPINGS = ["none", "tier", "organization", "model", "apiKey", "endUser"] as const;
export type UsageGrouping = (typeof USAGE_GROUPINGS)[number];

/** How many groups are shown by name; the rest are summed in the group USAGE_OTHER_GROUP. */
export const USAGE_TOP_GROUPS = 10;
export const USAGE_OTHER_GROUP = "__other__";
/** The one group of usage that is not grouped (groupBy "none"). */
export const USAGE_ALL_GROUP = "all";

/** How long minute buckets are kept: older ranges have hour and day buckets only. */
export const USAGE_MINUTE_BUCKETS_KEPT_MS = 48 * 3_600_000;
/** How long hour buckets are kept (as long as a range of days may span); day buckets are kept for good. */
export const USAGE_HOUR_BUCKETS_KEPT_MS = 400 * 86_400_000;

/**
 * The statuses counted one by one among errors (status ≥ 400); the rest are counted together
 * under USAGE_OTHER_ERROR_STATUS.
 */
export const USAGE_ERROR_STATUSES = [
  400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504,
] as const;
export const USAGE_OTHER_ERROR_STATUS = 0;
