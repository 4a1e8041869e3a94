import { CREDENTIAL_STATES } from "@dsc/trpc/schemas";
import type { Metadata } from "next";
import { env } from "../../../env.ts";
import { requireSessionUser } from "../../../server/session.ts";
import { OAuthClientsView } from "./oauth-clients-view.tsx";

export const metadata: Metadata = { title: "OAuth clients" };

export default async function OAuthClientsPage({
  searchParams,
}: {
  searchParams: Promise<{ organization?: string; state?: string }>;
}) {
  const user = await requireSessionUser();
  const { organization, state } = await searchParams;
  return (
    <OAuthClientsView
      role={user.role}
      ownOrganizationId={user.organizationId}
      initialOrganizationId={organization || undefined}
      initialState={CREDENTIAL_STATES.find((s) => s === state)}
      gatewayUrl={env.GATEWAY_PUBLIC_URL}
    />
  );
}
