import { OAUTH_ERROR_CODES, type OAuthErrorCode } from "@dsc/vocabulary";
import { z } from "zod";
import { isStorableText } from "./identifiers.ts";

/*
 * OAuth 2.0 client credentials (RFC 6749 §4.4) at POST /oauth2/token, and the documents an
 * OAuth client or resource server discovers: RFC 8414 metadata and the JWK Set of the keys
 * that sign access tokens. These endpoints answer errors in OAuth's shape, not OpenAI's.
 */

/** POST /oauth2/token, as JSON or application/x-www-form-urlencoded. */
export const TokenRequestSchema = z.object({
  grant_type: z.enum(["client_credentials"]).describe("Only `client_credentials` is supported."),
  scope: z
    .string()
    .max(1000)
    .optional()
    .describe("Space-separated scopes to narrow the token to; default: every scope of the client."),
  client_id: z
    .string()
    .max(200)
    .refine(isStorableText, "must not contain NUL or unpaired surrogates")
    .optional()
    .describe("With `client_secret`, when the client does not authenticate with HTTP Basic."),
  client_secret: z.string().max(200).optional(),
});
export type TokenRequest = z.infer<typeof TokenRequestSchema>;

/** A successful token response (RFC 6749 §5.1). */
export const TokenResponseSchema = z.object({
  access_token: z.string().describe("A JWT; send it as `Authorization: Bearer <token>`."),
  token_type: z.literal("Bearer"),
  expires_in: z.number().int().min(0).describe("Seconds until the token expires."),
  scope: z.string().describe("The scopes the token carries, space-separated."),
});
export type TokenResponse = z.infer<typeof TokenResponseSchema>;

/** The error codes of RFC 6749 §5.2, and `slow_down` for too many failed attempts. */
export const OAuthErrorCodeSchema = z.enum(OAUTH_ERROR_CODES);
export type { OAuthErrorCode };

/** An error of the OAuth endpoints (RFC 6749 §5.2). */
export const OAuthErrorResponseSchema = z.object({
  error: OAuthErrorCodeSchema,
  error_description: z.string().optional(),
});
export type OAuthErrorResponse = z.infer<typeof OAuthErrorResponseSchema>;

/** A public signing key (RFC 7517): Ed25519 (`OKP`) or P-256 (`EC`). */
export const PublicJwkSchema = z.object({
  kty: z.enum(["OKP", "EC"]),
  crv: z.enum(["Ed25519", "P-256"]),
  x: z.string(),
  y: z.string().optional(),
  kid: z.string(),
  alg: z.enum(["EdDSA", "ES256"]),
  use: z.literal("sig"),
});
export type PublicJwk = z.infer<typeof PublicJwkSchema>;

/** GET /.well-known/jwks.json: the keys that verify access tokens now, newest first. */
export const JwksSchema = z.object({ keys: z.array(PublicJwkSchema) });
export type Jwks = z.infer<typeof JwksSchema>;

/** GET /.well-known/oauth-authorization-server (RFC 8414). */
export const AuthorizationServerMetadataSchema = z.object({
  issuer: z.string(),
  token_endpoint: z.string(),
  jwks_uri: z.string(),
  grant_types_supported: z.array(z.string()),
  token_endpoint_auth_methods_supported: z.array(z.string()),
  scopes_supported: z.array(z.string()),
  response_types_supported: z.array(z.string()),
});
export type AuthorizationServerMetadata = z.infer<typeof AuthorizationServerMetadataSchema>;

/** The payload of an access token (RFC 9068), for resource servers that verify it themselves. */
export const AccessTokenPayloadSchema = z.object({
  iss: z.string(),
  aud: z.string(),
  sub: z.string().describe("The client id."),
  client_id: z.string(),
  org: z.string().describe("The organization the client belongs to."),
  scope: z.string(),
  jti: z.string(),
  iat: z.number().int(),
  exp: z.number().int(),
});
export type AccessTokenPayload = z.infer<typeof AccessTokenPayloadSchema>;
