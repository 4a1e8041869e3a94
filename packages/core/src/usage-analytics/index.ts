export { getUsageQuota, QUOTA_KEYS_LISTED, type UsageQuota } from "./get-usage-quota.ts";
export {
  queryUsageAnalytics,
  USAGE_ALL_GROUP,
  type UsageAnalytics,
  type UsageAnalyticsQuery,
  type UsageGroup,
  type UsagePoint,
} from "./query-usage-analytics.ts";
export { latencyPercentile, type UsageFigures } from "./usage-figures.ts";
