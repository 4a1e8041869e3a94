import { type NextRequest, NextResponse } from "next/server";
import { REQUESTED_PATH_HEADER } from "./callback-url.ts";
import { env } from "./env.ts";
import { contentSecurityPolicy, createNonce, STRICT_TRANSPORT_SECURITY } from "./security-headers.ts";

/**
 * Runs before every page and API request (Next.js 16 calls middleware "proxy"). A fresh nonce
 * goes into the Content-Security-Policy of both the request, where Next.js finds it and puts it
 * on the scripts it renders, and the response, where the browser enforces it. Whatever CSP a
 * client sent is replaced, so nobody chooses the nonce. Pages are rendered per request (the
 * root layout waits for the connection): a page built ahead of time could not carry the nonce.
 * The request also carries the path that was asked for (REQUESTED_PATH_HEADER), which Next.js
 * tells no layout: the way back after signing in starts from it.
 */
export function proxy(request: NextRequest): NextResponse {
  // NODE_ENV is inlined by Next.js at build time (development only under `next dev`)
  const policy = contentSecurityPolicy({
    nonce: createNonce(),
    isDevelopment: process.env.NODE_ENV === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("content-security-policy", policy);
  // for the way back after signing in, and for pages only some sessions may see
  requestHeaders.set(REQUESTED_PATH_HEADER, requestedPath(request));
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", policy);
  if (isHttps(request)) {
    response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  }
  return response;
}

/** The page's path and query as the address bar shows it (without the router's own `_rsc`). */
function requestedPath(request: NextRequest): string {
  const search = new URLSearchParams(request.nextUrl.searchParams);
  search.delete("_rsc");
  const query = search.toString();
  return query ? `${request.nextUrl.pathname}?${query}` : request.nextUrl.pathname;
}

/**
 * Whether the browser reached the dashboard over HTTPS: its public address says so
 * (NEXTAUTH_URL), or this request came over TLS (Next.js takes the scheme from the socket or
 * from X-Forwarded-Proto, which a TLS-terminating proxy sets). Browsers ignore HSTS received
 * over plain HTTP, so a forged X-Forwarded-Proto earns nothing.
 */
function isHttps(request: NextRequest): boolean {
  return env.NEXTAUTH_URL.startsWith("https://") || request.nextUrl.protocol === "https:";
}

export const config = {
  // everything but built files (hashed names, immutable: nothing there runs as a page)
  matcher: ["/((?!_next/static|_next/image).*)"],
};
