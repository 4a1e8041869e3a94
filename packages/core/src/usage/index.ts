export {
  completionUsage,
  estimatedCompletionUsage,
  StreamUsageCounter,
  type TokenCounter,
  type TokenUsage,
} from "./count-usage.ts";
export { insertUsageEvents } from "./insert-usage-events.ts";
export { sumMonthlyTokens, usagePeriod } from "./monthly-token-usage.ts";
export {
  createUsageWriter,
  type UsageRecord,
  type UsageWriter,
  type UsageWriterOptions,
  type UsageWriterStats,
} from "./usage-writer.ts";
