// API keys and OAuth clients: one lifecycle (create, list, search, rotate with grace, revoke),
// their secrets, the revocation bus, last-use recording and the Principal they authenticate as.
export {
  type CreatedApiKey,
  createApiKey,
  listApiKeys,
  revokeApiKey,
  rotateApiKey,
  searchApiKeys,
} from "./api-keys.ts";
export {
  type CreateCredentialInput,
  type CreatedCredential,
  type CredentialDeps,
  createCredential,
} from "./create-credential.ts";
export type { CredentialKind, CredentialType, IdField, PrefixField, ResultField } from "./credential-kind.ts";
export { API_KEYS, OAUTH_CLIENTS } from "./credential-kinds.ts";
export { acknowledgedPowerfulScopes, normaliseScopes } from "./credential-scopes.ts";
export {
  API_KEY_PREFIX,
  CLIENT_SECRET_PREFIX,
  displayPrefix,
  generateApiKeySecret,
  generateClientSecret,
  hashApiKeySecret,
  looksLikeApiKeySecret,
  looksLikeClientSecret,
  matchesApiKeyHash,
} from "./credential-secret.ts";
export {
  type ApiKeyView,
  type CredentialView,
  credentialState,
  type OAuthClientView,
} from "./credential-view.ts";
export {
  createLastUsedRecorder,
  type LastUsedRecorder,
  type LastUsedRecorderOptions,
} from "./last-used-recorder.ts";
export { listCredentials } from "./list-credentials.ts";
export { listPowerfulCredentials, type PowerfulCredential } from "./list-powerful-credentials.ts";
export {
  createOAuthClient,
  listOAuthClients,
  revokeOAuthClient,
  rotateOAuthClientSecret,
  searchOAuthClients,
} from "./oauth-clients.ts";
export { actorOfPrincipal, type Principal } from "./principal.ts";
export { createRevocationBus, createRevocationPublisher } from "./revocation/create-revocation-bus.ts";
export { createPostgresRevocationBus } from "./revocation/postgres-revocation-bus.ts";
export { createRedisRevocationBus } from "./revocation/redis-revocation-bus.ts";
export { REVOCATION_CHANNEL, type RevocationBus } from "./revocation/revocation-bus.ts";
export { type RevokeCredentialInput, revokeCredential } from "./revoke-credential.ts";
export { type RotateCredentialInput, type RotatedCredential, rotateCredential } from "./rotate-credential.ts";
export { DEFAULT_ROTATION_GRACE_MS, MAX_ROTATION_GRACE_MS, rotationGraceEnd } from "./rotation-grace.ts";
export {
  type CredentialPage,
  type SearchCredentialsInput,
  searchCredentials,
} from "./search-credentials.ts";
export { loadApiKeyPepper, loadServerSecret, type ServerSecretOptions } from "./server-secret.ts";
