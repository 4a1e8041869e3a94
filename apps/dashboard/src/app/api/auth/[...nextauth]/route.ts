import type { NextRequest } from "next/server";
import NextAuth from "next-auth";
import { buildAuthOptions } from "../../../../server/auth-options.ts";
import { clientAddress } from "../../../../server/client-address.ts";
import { getDashboardServer } from "../../../../server/dashboard-server.ts";

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Sign-in, sign-out, session and provider callbacks. The options are built per request: they
// carry the caller's address for the sign-in audit record, and hear of a refused sign-in;
// everything else is per process.
async function handler(request: NextRequest, context: RouteContext): Promise<Response> {
  const server = await getDashboardServer();
  let retryAfterMs: number | null = null;
  const response = await NextAuth(
    request,
    context,
    buildAuthOptions(server, {
      origin: clientAddress(request.headers),
      onRefused: (ms) => {
        retryAfterMs = ms;
      },
    }),
  );
  if (retryAfterMs !== null) response.headers.set("Retry-After", String(Math.ceil(retryAfterMs / 1000)));
  return response;
}

export { handler as GET, handler as POST };
