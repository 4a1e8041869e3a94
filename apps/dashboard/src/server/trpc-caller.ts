import { appRouter } from "@dsc/trpc";
import { headers } from "next/headers";
import { hasIdentityProvider } from "./auth-options.ts";
import { clientAddress } from "./client-address.ts";
import { getDashboardServer } from "./dashboard-server.ts";
import { getSessionUser } from "./session.ts";

/** The tRPC router called directly from Server Components, as the signed-in person. */
export async function getServerCaller() {
  const user = await getSessionUser();
  const server = await getDashboardServer();
  return appRouter.createCaller({
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
    origin: clientAddress(await headers()),
    hasIdentityProvider: hasIdentityProvider(server.env),
  });
}
