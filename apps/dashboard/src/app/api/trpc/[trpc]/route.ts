import { appRouter } from "@dsc/trpc";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { hasIdentityProvider } from "../../../../server/auth-options.ts";
import { clientAddress } from "../../../../server/client-address.ts";
import { getDashboardServer } from "../../../../server/dashboard-server.ts";
import { isSameOrigin } from "../../../../server/same-origin.ts";
import { getSessionUser } from "../../../../server/session.ts";

/**
 * The dashboard's API. The session cookie is SameSite=Lax, which already keeps other sites'
 * forms from posting with it; mutations also must come from this origin.
 */
async function handler(request: Request): Promise<Response> {
  if (request.method === "POST" && !isSameOrigin(request.headers)) {
    return Response.json({ error: "cross-origin request refused" }, { status: 403 });
  }
  const server = await getDashboardServer();
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req: request,
    router: appRouter,
    async createContext() {
      const user = await getSessionUser();
      return {
        db: server.db,
        clock: server.clock,
        pepper: server.pepper,
        revocations: server.revocations,
        gatewayHealth: server.gatewayHealth,
        fileStorage: server.fileStorage,
        keyring: server.keyring,
        user: user && {
          id: user.id,
          role: user.role,
          organizationId: user.organizationId,
          mustChangePassword: user.mustChangePassword,
        },
        origin: clientAddress(request.headers),
        hasIdentityProvider: hasIdentityProvider(server.env),
      };
    },
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
