import { isScope, type Scope } from "@dsc/vocabulary";
import { errors, jwtVerify, SignJWT } from "jose";
import { randomBase62 } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import type { SigningKeyRing } from "./signing-key-ring.ts";
import { MAX_ACCESS_TOKEN_LIFETIME_MS, SIGNING_ALGORITHMS } from "./signing-keys.ts";

/** Who issues access tokens and for whom; every gateway instance must agree on these. */
export interface AccessTokenSettings {
  /** the `iss` claim: this authorization server's URL (RFC 8414 issuer) */
  issuer: string;
  /** the `aud` claim: the API the tokens are for */
  audience: string;
  /** token lifetime, at most MAX_ACCESS_TOKEN_LIFETIME_MS */
  lifetimeMs: number;
}

export interface AccessTokenDeps {
  keys: SigningKeyRing;
  clock: Clock;
  tokens: AccessTokenSettings;
}

/** What a verified access token says. */
export interface AccessTokenClaims {
  tokenId: string;
  clientId: string;
  organizationId: string;
  scopes: Scope[];
  issuedAt: Date;
  expiresAt: Date;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
  /** seconds from issue to expiry, for `expires_in` */
  expiresIn: number;
}

/** JWT media type of OAuth access tokens (RFC 9068). */
const TOKEN_TYPE = "at+jwt";
const MAX_TOKEN_LENGTH = 4_096;
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

/** Whether a bearer string has the shape of a JWT (cheap pre-check before verifying). */
export function looksLikeAccessToken(value: string): boolean {
  return value.length <= MAX_TOKEN_LENGTH && JWT_SHAPE.test(value);
}

/**
 * Signs an access token (RFC 9068 profile) with the key in force: `kid` in the header; `iss`,
 * `aud`, `sub` and `client_id` (the client), `org`, `scope` (space-separated), `jti`, `iat`,
 * `exp`. It never outlives `notAfter` (the client's own expiry).
 */
export async function issueAccessToken(
  deps: AccessTokenDeps,
  input: { clientId: string; organizationId: string; scopes: readonly Scope[]; notAfter?: Date | null },
): Promise<IssuedAccessToken> {
  const key = await deps.keys.signingKey();
  const issuedAt = Math.floor(deps.clock.now().getTime() / 1000);
  const lifetime = Math.min(deps.tokens.lifetimeMs, MAX_ACCESS_TOKEN_LIFETIME_MS);
  let expiresAt = issuedAt + Math.floor(lifetime / 1000);
  if (input.notAfter) expiresAt = Math.min(expiresAt, Math.floor(input.notAfter.getTime() / 1000));
  const token = await new SignJWT({
    client_id: input.clientId,
    org: input.organizationId,
    scope: input.scopes.join(" "),
  })
    .setProtectedHeader({ alg: key.algorithm, kid: key.kid, typ: TOKEN_TYPE })
    .setIssuer(deps.tokens.issuer)
    .setAudience(deps.tokens.audience)
    .setSubject(input.clientId)
    .setJti(`at_${randomBase62(24)}`)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key.privateKey);
  return { token, expiresAt: new Date(expiresAt * 1000), expiresIn: expiresAt - issuedAt };
}

/**
 * The claims of a token that this platform signed with a key that may still verify, for this
 * audience, not expired; null otherwise. Whether the client is still allowed is not checked
 * here (see the access-token authenticator). Database failures propagate.
 */
export async function verifyAccessToken(
  deps: AccessTokenDeps,
  token: string,
): Promise<AccessTokenClaims | null> {
  if (!looksLikeAccessToken(token)) return null;
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        const key = header.kid ? await deps.keys.verificationKey(header.kid) : null;
        if (!key || key.algorithm !== header.alg) throw new errors.JWKSNoMatchingKey();
        return key.publicKey;
      },
      {
        issuer: deps.tokens.issuer,
        audience: deps.tokens.audience,
        algorithms: [...SIGNING_ALGORITHMS],
        typ: TOKEN_TYPE,
        currentDate: deps.clock.now(),
        requiredClaims: ["exp", "iat", "sub", "jti"],
      },
    );
    const { sub, client_id: clientId, org, scope, jti, iat, exp } = payload;
    if (typeof org !== "string" || typeof scope !== "string" || clientId !== sub || !sub) return null;
    if (typeof jti !== "string" || typeof iat !== "number" || typeof exp !== "number") return null;
    return {
      tokenId: jti,
      clientId: sub,
      organizationId: org,
      scopes: scope.split(" ").filter(isScope),
      issuedAt: new Date(iat * 1000),
      expiresAt: new Date(exp * 1000),
    };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
