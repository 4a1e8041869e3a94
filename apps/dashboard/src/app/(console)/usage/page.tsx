import { isMemberRole } from "@dsc/trpc/schemas";
import type { Metadata } from "next";
import { Suspense } from "react";
import { UsageSkeleton } from "../../../components/usage/usage-skeleton.tsx";
import { env } from "../../../env.ts";
import { requireRole } from "../../../server/session.ts";
import { UsageDashboard } from "./usage-dashboard.tsx";

export const metadata: Metadata = { title: "Usage" };

/**
 * Requests, tokens, errors, latency and spend over time. Admins see any organization or all of
 * them; a developer sees their own only (the procedures force it too). Compliance officers do
 * not manage traffic, and do not see this page.
 */
export default async function UsagePage() {
  const user = await requireRole("ADMIN", "OWNER", "DEVELOPER", "VIEWER");
  return (
    // the view lives in the address (useSearchParams), read in the browser
    <Suspense fallback={<UsageSkeleton />}>
      <UsageDashboard
        isAdmin={user.role === "ADMIN"}
        // a developer without an organization sees nothing: the procedures refuse them
        ownOrganizationId={isMemberRole(user.role) ? (user.organizationId ?? "") : null}
        gatewayUrl={env.GATEWAY_PUBLIC_URL}
      />
    </Suspense>
  );
}
