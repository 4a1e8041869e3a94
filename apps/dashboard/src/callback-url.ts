/**
 * Where to go after signing in, from a `callbackUrl` someone else may have written: a path of
 * this dashboard, else "/". Browser-safe: the sign-in page, its form and NextAuth's redirect
 * callback all ask this one function, so no caller can be looser than another.
 *
 * The value is parsed against the dashboard's origin, as a browser would resolve it, and kept
 * only when it stays on that origin and was written as a path. Checks come before parsing
 * because parsers disagree with each other: browsers drop tabs and newlines anywhere in a URL
 * (`/\t/evil.example` becomes `//evil.example`) and read `\` as `/` (`/\evil.example`), and a
 * value decoded once more by some layer turns `%09` into a tab, so the decoded form must pass too.
 */
export function safeCallbackPath(value: unknown, origin: string): string {
  if (typeof value !== "string") return "/";
  const decoded = decodedOrNull(value);
  if (decoded === null || !isPlainPath(value) || !isPlainPath(decoded)) return "/";
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return "/";
  }
  if (url.origin !== new URL(origin).origin) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}

// the control characters (Cc: C0 with tab, CR and LF, DEL, C1)
const CONTROL_CHARACTER = /\p{Cc}/u;

/** One leading slash, never two and never a backslash, and no control character anywhere. */
function isPlainPath(value: string): boolean {
  return (
    value.startsWith("/") &&
    !value.startsWith("//") &&
    !value.startsWith("/\\") &&
    !CONTROL_CHARACTER.test(value)
  );
}

function decodedOrNull(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null; // malformed escapes: no browser-independent reading exists
  }
}

/**
 * The request header in which the proxy hands pages the path (and query) that was asked for,
 * so that a signed-out visit to a deep link can come back to it after signing in. The proxy
 * always sets it, replacing whatever a client sent.
 */
export const REQUESTED_PATH_HEADER = "x-dashboard-requested-path";

/**
 * The sign-in page, with the way back to `requested` when that is a path of this dashboard
 * worth returning to; the bare sign-in page otherwise. The sign-in page checks the value again
 * (safeCallbackPath), as it does any link to it.
 */
export function signInPathFor(requested: string | null | undefined, origin: string): string {
  const path = requested ? safeCallbackPath(requested, origin) : "/";
  if (path === "/" || path === "/login" || path.startsWith("/login?")) return "/login";
  return `/login?callbackUrl=${encodeURIComponent(path)}`;
}
