export { buildGateway, type GatewayOptions } from "./build-gateway.ts";
export type { GatewayDeps } from "./gateway-deps.ts";
