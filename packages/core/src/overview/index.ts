export {
  createGatewayHealthReader,
  type GatewayCheck,
  type GatewayHealth,
  type GatewayHealthOptions,
  type GatewayHealthReader,
  type GatewayMetrics,
  type GatewayMetricsProblem,
} from "./gateway-health.ts";
export { readPrometheusSamples } from "./prometheus-text.ts";
