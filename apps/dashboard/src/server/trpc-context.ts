import type { TrpcContext } from "@dsc/trpc";
import { hasIdentityProvider } from "./auth-options.ts";
import { clientAddress } from "./client-address.ts";
import { getDashboardServer } from "./dashboard-server.ts";
import { getSessionUser } from "./session.ts";

/**
 * The procedures' context for the signed-in person, the same for the API route and for Server
 * Components: the session carries only what the role checks need.
 */
export async function trpcContextOf(
  requestHeaders: Parameters<typeof clientAddress>[0],
): Promise<TrpcContext> {
  const user = await getSessionUser();
  const server = await getDashboardServer();
  return {
    db: server.db,
    clock: server.clock,
    pepper: server.pepper,
    revocations: server.revocations,
    gatewayHealth: server.gatewayHealth,
    deploymentHealth: server.deploymentHealth,
    fileStorage: server.fileStorage,
    keyring: server.keyring,
    webhookAddressPolicy: server.env.webhookAddressPolicy,
    accounts: { signup: server.env.signup, mailer: server.mailer, dashboardUrl: server.env.NEXTAUTH_URL },
    accountThrottle: server.accountThrottle,
    user: user && {
      id: user.id,
      role: user.role,
      platformRole: user.platformRole,
      organizationId: user.organizationId,
      emailVerified: user.emailVerified,
      mustChangePassword: user.mustChangePassword,
    },
    origin: clientAddress(requestHeaders),
    hasIdentityProvider: hasIdentityProvider(server.env),
  };
}
