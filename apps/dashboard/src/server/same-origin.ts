/**
 * Whether a request comes from a page of this dashboard. Browsers send Origin on every POST;
 * a request without one is not from a browser page, and its cookie alone decides.
 */
export function isSameOrigin(headers: Headers): boolean {
  const origin = headers.get("origin");
  if (origin === null) return true;
  const host = headers.get("x-forwarded-host") ?? headers.get("host");
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
