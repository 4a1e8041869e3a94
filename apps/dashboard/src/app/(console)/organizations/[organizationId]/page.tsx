import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireConsoleUser } from "../../../../server/session.ts";
import { getServerCaller } from "../../../../server/trpc-caller.ts";
import { OrganizationDetailsView } from "./organization-details.tsx";

type Params = { params: Promise<{ organizationId: string }> };

/**
 * One organization through the procedure the browser uses, so a developer asking for another
 * organization's gets "not found" from core's scoped query. Once per request: the title and
 * the page both ask.
 */
const loadOrganization = cache(async (organizationId: string) => {
  const caller = await getServerCaller();
  return caller.organizations.get({ organizationId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) notFound();
    throw error;
  });
});

/** The organization's name is the tab's title. */
export async function generateMetadata({ params }: Params): Promise<Metadata> {
  // whatever stops the page (signed out, not found) the page itself raises, before anything is sent
  const organization = await loadOrganization((await params).organizationId).catch(() => null);
  return { title: organization?.name ?? "Not found" };
}

/**
 * One organization. A missing one (or another organization a developer asks for) is "not
 * found" with HTTP 404: the record is read before anything of the page is sent.
 */
export default async function OrganizationPage({ params }: Params) {
  const user = await requireConsoleUser();
  const organization = await loadOrganization((await params).organizationId);
  return <OrganizationDetailsView initial={organization} role={user.role} />;
}
