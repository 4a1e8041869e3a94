export {
  completionUsage,
  createStreamUsageCounter,
  estimatedCompletionUsage,
  type StreamUsageCounter,
  type TokenCounter,
  type TokenUsage,
} from "./count-usage.ts";
export { clearDeadLetteredEndUsers, deadLetterUsage } from "./dead-letter-usage.ts";
export { deleteEndUserRollups } from "./delete-end-user-rollups.ts";
export { insertUsageEvents } from "./insert-usage-events.ts";
export { sumMonthlyTokens, usagePeriod } from "./monthly-token-usage.ts";
export { pruneRollups } from "./prune-rollups.ts";
export { createRequestMeter, type MeteredOutcome, type RequestMeter } from "./request-meter.ts";
export { addToRollupsSql, LATENCY_BOUNDS_MS, ROLLUP_GRAINS, type RollupGrain } from "./usage-rollups.ts";
export {
  createUsageSettlement,
  type SettleableReservation,
  type UsageSettlement,
} from "./usage-settlement.ts";
export {
  createUsageWriter,
  type UsageRecord,
  type UsageWriter,
  type UsageWriterOptions,
  type UsageWriterStats,
} from "./usage-writer.ts";
