export { countActiveApiKeys } from "./count-active-api-keys.ts";
export {
  createGatewayHealthReader,
  type GatewayCheck,
  type GatewayHealth,
  type GatewayHealthOptions,
  type GatewayHealthReader,
  type GatewayMetrics,
  type GatewayMetricsProblem,
} from "./gateway-health.ts";
export {
  findOrganizationsNearestQuota,
  NEAREST_QUOTA_LISTED,
  type OrganizationQuotaUse,
} from "./organizations-nearest-quota.ts";
export { readPrometheusSamples, type SampleReading } from "./prometheus-text.ts";
export {
  summarizeTrafficToday,
  type TrafficFigures,
  type TrafficHour,
  type TrafficToday,
} from "./summarize-traffic-today.ts";
