import type { NextConfig } from "next";

// NODE_ENV is set by the Next.js CLI itself (development for `next dev`), not by the operator,
// so reading it here is not part of the dashboard's environment (see src/env.ts).
const isDevelopment = process.env.NODE_ENV === "development";

// Without per-request nonces, Next.js needs 'unsafe-inline' for the inline scripts that carry
// the React Server Components payload; 'unsafe-eval' only in development (React's dev tooling).
// Everything else is same-origin only: the browser talks to the dashboard, never to the gateway.
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${isDevelopment ? " 'unsafe-eval'" : ""}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const securityHeaders = [
  { key: "Content-Security-Policy", value: contentSecurityPolicy },
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages export their TypeScript source (src/index.ts), not built JavaScript.
  transpilePackages: ["@dsc/api-client", "@dsc/core", "@dsc/db", "@dsc/trpc"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
