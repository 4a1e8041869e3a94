import type { NextConfig } from "next";

// The Content-Security-Policy (with a nonce per response) and HSTS come from src/proxy.ts;
// these apply to every response, built files included.
const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Workspace packages export their TypeScript source (src/index.ts), not built JavaScript.
  transpilePackages: ["@dsc/api-client", "@dsc/core", "@dsc/db", "@dsc/trpc", "@dsc/vocabulary"],
  async headers() {
    return [{ source: "/:path*", headers: securityHeaders }];
  },
};

export default nextConfig;
