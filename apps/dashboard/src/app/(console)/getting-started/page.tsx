import type { Metadata } from "next";
import { env } from "../../../env.ts";
import { requireRole } from "../../../server/session.ts";
import { getServerCaller } from "../../../server/trpc-caller.ts";
import { GettingStartedView } from "./getting-started-view.tsx";

export const metadata: Metadata = { title: "Getting started" };

/**
 * Where a person lands after signing up: verify the address, create a first key, call the API.
 * The model in the examples is one the organization's tier may call, so a copied example works.
 */
export default async function GettingStartedPage() {
  const user = await requireRole("ADMIN", "OWNER", "DEVELOPER", "VIEWER");
  const { model } = await (await getServerCaller()).gettingStarted.model();
  return (
    <GettingStartedView
      role={user.role}
      organizationId={user.organizationId}
      isEmailVerified={user.emailVerified}
      gatewayUrl={env.GATEWAY_PUBLIC_URL}
      model={model}
    />
  );
}
