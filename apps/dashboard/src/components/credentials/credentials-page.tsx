import { CREDENTIAL_STATES } from "@dsc/trpc/schemas";
import { env } from "../../env.ts";
import { requireConsoleUser } from "../../server/session.ts";
import type { CredentialKindName } from "./credential-kinds.ts";
import { CredentialsView } from "./credentials-view.tsx";

/**
 * The page of one kind of credential: the signed-in person's view of it, with the filters
 * the address carries and the gateway's address for the usage shown with new secrets.
 */
export function credentialsPage(kind: CredentialKindName) {
  return async function CredentialsPage({
    searchParams,
  }: {
    searchParams: Promise<{ organization?: string; state?: string }>;
  }) {
    const user = await requireConsoleUser();
    const { organization, state } = await searchParams;
    return (
      <CredentialsView
        kind={kind}
        gatewayUrl={env.GATEWAY_PUBLIC_URL}
        role={user.role}
        ownOrganizationId={user.organizationId}
        initialOrganizationId={organization || undefined}
        initialState={CREDENTIAL_STATES.find((s) => s === state)}
      />
    );
  };
}
