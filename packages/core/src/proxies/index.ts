export { addressBudgetKey } from "./address-budget.ts";
export {
  believeTrustedProxiesOnly,
  FORWARDING_HEADERS,
  forwardedClientAddress,
  parseTrustedProxies,
  type TrustedProxies,
  trustedProxyCheck,
} from "./trusted-proxies.ts";
