import type { CredentialState } from "@dsc/vocabulary";

/** The rows of a credential table (API keys, OAuth clients) in one state at `now`. */
export function credentialStateFilter(state: CredentialState | undefined, now: Date) {
  switch (state) {
    case "active":
      return { revokedAt: null, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] };
    case "expired":
      return { revokedAt: null, expiresAt: { lte: now } };
    case "revoked":
      return { revokedAt: { not: null } };
    default:
      return {};
  }
}
