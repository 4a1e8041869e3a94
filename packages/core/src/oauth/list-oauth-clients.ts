import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { type OAuthClientView, toOAuthClientView } from "./oauth-client-view.ts";

/** The organization's OAuth clients, newest first. */
export async function listOAuthClients(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string },
): Promise<OAuthClientView[]> {
  const clients = await deps.db.oAuthClient.findMany({
    where: { organizationId: input.organizationId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
  });
  const now = deps.clock.now();
  return clients.map((client) => toOAuthClientView(client, now));
}
