/**
 * The caller's IP address, for audit records and per-address sign-in limits: the last
 * X-Forwarded-For entry. Next.js fills the header in with the socket's address when it is
 * missing, and the `npm start` supervisor preloads a hook (apps/cli forwarded-headers) that
 * replaces it with the peer's address, or with the client address that the proxies named in
 * TRUST_PROXY vouch for, so that a client cannot choose it.
 */
export function clientAddress(headers: Headers | Record<string, string | string[] | undefined>): string {
  const raw = headers instanceof Headers ? headers.get("x-forwarded-for") : headers["x-forwarded-for"];
  const value = Array.isArray(raw) ? raw.join(",") : (raw ?? "");
  const last = value
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  return (last ?? "unknown").replace(/^::ffff:/, "").slice(0, 64);
}
