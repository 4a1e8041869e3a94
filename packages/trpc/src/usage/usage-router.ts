import { router } from "../procedure.ts";
import { getUsageQuotaProcedure } from "./get-usage-quota.ts";
import { queryUsageAnalyticsProcedure } from "./query-usage-analytics.ts";

export const usageRouter = router({
  analytics: queryUsageAnalyticsProcedure,
  quota: getUsageQuotaProcedure,
});
