import { randomBase62 } from "../ids/public-id.ts";

export const CLIENT_SECRET_PREFIX = "cs-";
/** 48 base62 characters: about 285 bits from the OS CSPRNG, like API keys. */
const SECRET_LENGTH = 48;

/**
 * A client secret. Its own prefix keeps it apart from API keys: presented as a bearer token
 * it authenticates nothing; it is only exchanged for access tokens at the token endpoint.
 */
export function generateClientSecret(): string {
  return `${CLIENT_SECRET_PREFIX}${randomBase62(SECRET_LENGTH)}`;
}

export function looksLikeClientSecret(value: string): boolean {
  return (
    value.length === CLIENT_SECRET_PREFIX.length + SECRET_LENGTH && value.startsWith(CLIENT_SECRET_PREFIX)
  );
}
