export { getUsageQuota, QUOTA_KEYS_LISTED, type UsageQuota } from "./get-usage-quota.ts";
export {
  queryUsageAnalytics,
  type UsageAnalytics,
  type UsageAnalyticsQuery,
  type UsageGroup,
  type UsagePoint,
} from "./query-usage-analytics.ts";
export { latencyPercentile, type UsageFigures } from "./usage-figures.ts";
