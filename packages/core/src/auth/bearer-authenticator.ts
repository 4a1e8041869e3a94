import { looksLikeApiKeySecret } from "../credentials/credential-secret.ts";
import type { LastUsedRecorder } from "../credentials/last-used-recorder.ts";
import { looksLikeAccessToken } from "../oauth/access-token.ts";
import type { Authenticator } from "./authenticator.ts";

/**
 * What the gateway authenticates bearer credentials with: API keys (`sk-…`) and OAuth access
 * tokens (JWTs), told apart by their shape, so a credential is only ever checked one way.
 * Each successful use is recorded for `last_used_at` (written in batches).
 */
export function createBearerAuthenticator(deps: {
  apiKeys: Authenticator;
  accessTokens?: Authenticator | null;
  lastUsed?: LastUsedRecorder | null;
}): Authenticator {
  return {
    async authenticate(secret) {
      if (looksLikeApiKeySecret(secret)) {
        const principal = await deps.apiKeys.authenticate(secret);
        if (principal) deps.lastUsed?.recordApiKeyUse(principal.credentialId);
        return principal;
      }
      if (deps.accessTokens && looksLikeAccessToken(secret)) {
        const principal = await deps.accessTokens.authenticate(secret);
        if (principal) deps.lastUsed?.recordOAuthClientUse(principal.credentialId);
        return principal;
      }
      return null;
    },
  };
}
