/**
 * The headers that make a browser hold the dashboard's pages to what the dashboard itself sent.
 * Built per request in proxy.ts: the script policy carries that request's nonce.
 */

/**
 * Scripts run only when they carry this response's nonce, or when a script that did loaded
 * them ('strict-dynamic'): an injected <script> or inline handler does not run, and no
 * 'unsafe-inline' is needed for Next.js's own inline scripts, which get the nonce as the page
 * renders (Next.js reads it from the request's Content-Security-Policy header).
 * Styles keep 'unsafe-inline': Radix positions its popovers and dialogs with style attributes,
 * which no nonce can cover (and a nonce in style-src would switch 'unsafe-inline' off).
 * 'unsafe-eval' only in development, for React's dev tooling.
 */
export function contentSecurityPolicy({ nonce, isDevelopment }: { nonce: string; isDevelopment: boolean }) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // the browser talks to the dashboard only, never to the gateway
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Two years, subdomains included: the dashboard is never meant to be reached over plain HTTP. */
export const STRICT_TRANSPORT_SECURITY = "max-age=63072000; includeSubDomains";

/** 128 random bits, base64: a new one for every response. */
export function createNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
}
