// OAuth 2.0 client credentials: access tokens, their signing keys, and the grant. The clients
// themselves are credentials (../credentials/).
export {
  type AccessTokenClaims,
  type AccessTokenDeps,
  type AccessTokenSettings,
  type IssuedAccessToken,
  issueAccessToken,
  looksLikeAccessToken,
  verifyAccessToken,
} from "./access-token.ts";
export {
  authorizationServerMetadata,
  JWKS_PATH,
  TOKEN_ENDPOINT_PATH,
} from "./authorization-server-metadata.ts";
export {
  type AuthorizationServer,
  type BruteForceRules,
  ClientAuthenticationThrottled,
  type ClientCredentialsGrant,
  type ClientCredentialsInput,
  DEFAULT_BRUTE_FORCE_RULES,
  grantClientCredentials,
} from "./grant-client-credentials.ts";
export { createSigningKeyRing, type SigningKeyRing } from "./signing-key-ring.ts";
export { loadSigningKeySecret } from "./signing-key-secret.ts";
export {
  DEFAULT_RETIREMENT_DELAY_MS,
  ensureSigningKey,
  listSigningKeys,
  MAX_ACCESS_TOKEN_LIFETIME_MS,
  type RotatedSigningKey,
  type RotateSigningKeyInput,
  rotateSigningKey,
  SIGNING_ALGORITHMS,
  type SigningAlgorithm,
  type SigningKeyDeps,
  type SigningKeyState,
  type SigningKeyView,
} from "./signing-keys.ts";
export { looksLikeClientId, verifyClientSecret } from "./verify-client-secret.ts";
