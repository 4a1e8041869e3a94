/**
 * The caller's IP address, for audit records and per-address sign-in limits. Next.js sets
 * X-Forwarded-For to the socket's address when a request arrives without one, and a reverse
 * proxy appends the address it saw: the last entry is the one nearest to this server. Without
 * a proxy a client can choose it, so per-address limits are a second line behind per-account ones.
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
