import { NextRequest } from "next/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import { REQUESTED_PATH_HEADER } from "./callback-url.ts";
import { proxy } from "./proxy.ts";
import { STRICT_TRANSPORT_SECURITY } from "./security-headers.ts";

/** The nonce of a policy's script-src, as Next.js reads it when it renders the page. */
function scriptNonce(policy: string | null): string | undefined {
  return /script-src [^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(policy ?? "")?.[1];
}

describe("the proxy's security headers", () => {
  it("sends a script policy with a fresh nonce and no 'unsafe-inline', and hands Next.js the same one", () => {
    const response = proxy(new NextRequest("http://localhost:3000/login"));
    const policy = response.headers.get("content-security-policy");
    const nonce = scriptNonce(policy);
    expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    const scripts = policy?.split("; ").find((directive) => directive.startsWith("script-src"));
    expect(scripts).toBe(`script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`);
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("base-uri 'self'");
    // the request Next.js renders carries the same policy (NextResponse.next's header override)
    expect(response.headers.get("x-middleware-request-content-security-policy")).toBe(policy);

    const next = proxy(new NextRequest("http://localhost:3000/login"));
    expect(scriptNonce(next.headers.get("content-security-policy"))).not.toBe(nonce);
  });

  it("replaces a policy the client sent, so that nobody chooses the nonce", () => {
    const response = proxy(
      new NextRequest("http://localhost:3000/login", {
        headers: { "content-security-policy": "script-src 'nonce-chosenbytheclient'" },
      }),
    );
    const handedOn = response.headers.get("x-middleware-request-content-security-policy");
    expect(handedOn).not.toContain("chosenbytheclient");
    expect(handedOn).toBe(response.headers.get("content-security-policy"));
  });

  it("hands pages the path asked for, without the router's _rsc, whatever the client sent", () => {
    const response = proxy(
      new NextRequest("http://localhost:3000/organizations/org_1?tab=keys&_rsc=abc123", {
        headers: { [REQUESTED_PATH_HEADER]: "//evil.example" },
      }),
    );
    expect(response.headers.get(`x-middleware-request-${REQUESTED_PATH_HEADER}`)).toBe(
      "/organizations/org_1?tab=keys",
    );
    const bare = proxy(new NextRequest("http://localhost:3000/people"));
    expect(bare.headers.get(`x-middleware-request-${REQUESTED_PATH_HEADER}`)).toBe("/people");
  });

  it("sends HSTS only to a request that came over HTTPS", () => {
    expect(
      proxy(new NextRequest("http://localhost:3000/")).headers.get("strict-transport-security"),
    ).toBeNull();
    // Next.js builds the URL with https when the socket is TLS or X-Forwarded-Proto says https
    expect(
      proxy(new NextRequest("https://dashboard.example.com/")).headers.get("strict-transport-security"),
    ).toBe(STRICT_TRANSPORT_SECURITY);
  });

  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("sends HSTS to every request when the dashboard's public address is https", async () => {
    // env.ts is read once at start-up: a fresh copy of the modules sees this configuration
    vi.stubEnv("NEXTAUTH_URL", "https://dashboard.example.com");
    vi.resetModules();
    const configured = await import("./proxy.ts");
    // this hop may be plain HTTP (a TLS-terminating proxy in front that sets no X-Forwarded-Proto)
    const response = configured.proxy(new NextRequest("http://127.0.0.1:3000/login"));
    expect(response.headers.get("strict-transport-security")).toBe(STRICT_TRANSPORT_SECURITY);
  });
});
