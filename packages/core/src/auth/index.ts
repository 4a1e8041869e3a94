// Bearer authentication of the public API: API keys and OAuth access tokens to principals.
export {
  type AccessTokenAuthenticator,
  createAccessTokenAuthenticator,
} from "./access-token-authenticator.ts";
export { type ApiKeyAuthenticator, createApiKeyAuthenticator } from "./api-key-authenticator.ts";
export type { Authenticator } from "./authenticator.ts";
export { createBearerAuthenticator } from "./bearer-authenticator.ts";
export { type CredentialCache, createCredentialCache } from "./credential-cache.ts";
export { verifyApiKey } from "./verify-api-key.ts";
