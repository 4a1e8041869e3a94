import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireSessionUser } from "../../../../server/session.ts";
import { getServerCaller } from "../../../../server/trpc-caller.ts";
import { OrganizationDetailsView } from "./organization-details.tsx";

export const metadata: Metadata = { title: "Organization" };

/**
 * One organization. Loaded on the server through the same procedure the browser uses, so a
 * developer asking for another organization's page gets "not found" from core's scoped query.
 */
export default async function OrganizationPage({ params }: { params: Promise<{ organizationId: string }> }) {
  const user = await requireSessionUser();
  const { organizationId } = await params;
  const caller = await getServerCaller();
  const organization = await caller.organizations.get({ organizationId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  });
  return <OrganizationDetailsView initial={organization} role={user.role} />;
}
