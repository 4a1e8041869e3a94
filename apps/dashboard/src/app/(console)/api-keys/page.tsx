import { CREDENTIAL_STATES } from "@dsc/trpc/schemas";
import type { Metadata } from "next";
import { env } from "../../../env.ts";
import { requireSessionUser } from "../../../server/session.ts";
import { ApiKeysView } from "./api-keys-view.tsx";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage({
  searchParams,
}: {
  searchParams: Promise<{ organization?: string; state?: string }>;
}) {
  const user = await requireSessionUser();
  const { organization, state } = await searchParams;
  return (
    <ApiKeysView
      role={user.role}
      ownOrganizationId={user.organizationId}
      initialOrganizationId={organization || undefined}
      initialState={CREDENTIAL_STATES.find((s) => s === state)}
      gatewayUrl={env.GATEWAY_PUBLIC_URL}
    />
  );
}
