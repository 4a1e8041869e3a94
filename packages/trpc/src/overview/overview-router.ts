import { router } from "../procedure.ts";
import { countActiveApiKeysProcedure } from "./count-active-api-keys.ts";
import { findOrganizationsNearestQuotaProcedure } from "./find-organizations-nearest-quota.ts";
import { readGatewayHealthProcedure } from "./read-gateway-health.ts";
import { summarizeTrafficTodayProcedure } from "./summarize-traffic-today.ts";

/** The landing page's figures; each card asks for its own, so one failing leaves the others. */
export const overviewRouter = router({
  traffic: summarizeTrafficTodayProcedure,
  activeKeys: countActiveApiKeysProcedure,
  quota: findOrganizationsNearestQuotaProcedure,
  gatewayHealth: readGatewayHealthProcedure,
});
