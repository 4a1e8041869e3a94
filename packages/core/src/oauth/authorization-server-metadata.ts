import type { AuthorizationServerMetadata } from "@dsc/api-client";
import { SCOPES } from "@dsc/vocabulary";
import type { AccessTokenSettings } from "./access-token.ts";

export const TOKEN_ENDPOINT_PATH = "/oauth2/token";
export const JWKS_PATH = "/.well-known/jwks.json";

/** RFC 8414 metadata of this authorization server: client credentials only. */
export function authorizationServerMetadata(tokens: AccessTokenSettings): AuthorizationServerMetadata {
  // the lookbehind reads a run of trailing slashes once, not once per character of it
  const base = tokens.issuer.replace(/(?<!\/)\/+$/, "");
  return {
    issuer: tokens.issuer,
    token_endpoint: `${base}${TOKEN_ENDPOINT_PATH}`,
    jwks_uri: `${base}${JWKS_PATH}`,
    grant_types_supported: ["client_credentials"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
    scopes_supported: [...SCOPES],
    // no authorization endpoint, so no response types
    response_types_supported: [],
  };
}
