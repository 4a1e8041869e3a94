// OAuth 2.0 client credentials, access tokens and their signing keys; also the credential
// lifecycle additions of keys/ and auth/ (exported here while src/index.ts lists them not).
export {
  type AccessTokenAuthenticator,
  createAccessTokenAuthenticator,
} from "../auth/access-token-authenticator.ts";
export type { Authenticator } from "../auth/authenticator.ts";
export { createBearerAuthenticator } from "../auth/bearer-authenticator.ts";
export {
  createLastUsedRecorder,
  type LastUsedRecorder,
  type LastUsedRecorderOptions,
} from "../keys/last-used-recorder.ts";
export { type RotateApiKeyInput, type RotatedApiKey, rotateApiKey } from "../keys/rotate-api-key.ts";
export {
  DEFAULT_ROTATION_GRACE_MS,
  MAX_ROTATION_GRACE_MS,
  rotationGraceEnd,
} from "../keys/rotation-grace.ts";
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
  type CreatedOAuthClient,
  type CreateOAuthClientInput,
  createOAuthClient,
} from "./create-oauth-client.ts";
export {
  type AuthorizationServer,
  type BruteForceRules,
  ClientAuthenticationThrottled,
  type ClientCredentialsGrant,
  type ClientCredentialsInput,
  DEFAULT_BRUTE_FORCE_RULES,
  grantClientCredentials,
} from "./grant-client-credentials.ts";
export { listOAuthClients } from "./list-oauth-clients.ts";
export { CLIENT_SECRET_PREFIX, generateClientSecret, looksLikeClientSecret } from "./oauth-client-secret.ts";
export {
  type OAuthClientState,
  type OAuthClientView,
  oauthClientState,
  toOAuthClientView,
} from "./oauth-client-view.ts";
export { type RevokeOAuthClientInput, revokeOAuthClient } from "./revoke-oauth-client.ts";
export {
  type RotatedOAuthClientSecret,
  type RotateOAuthClientSecretInput,
  rotateOAuthClientSecret,
} from "./rotate-oauth-client-secret.ts";
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
