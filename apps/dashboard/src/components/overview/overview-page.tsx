"use client";

import { type AccessRole, isMemberRole } from "@dsc/trpc/schemas";
import { PageHeader } from "../ui/page-header.tsx";
import { ActiveKeysCard } from "./active-keys-card.tsx";
import { DeletionsCard } from "./deletions-card.tsx";
import { GatewayHealthCard } from "./gateway-health-card.tsx";
import { QuotaCard } from "./quota-card.tsx";
import { TrafficCard } from "./traffic-card.tsx";

const DESCRIPTIONS: Record<AccessRole, string> = {
  ADMIN: "The platform today: traffic, keys, quotas, erasures and the gateway's health.",
  COMPLIANCE: "Erasures waiting and their deadlines, the keys in use and the gateway's health.",
  OWNER: "Your organization today: requests, errors, keys and tokens against your quota.",
  DEVELOPER: "Your organization today: requests, errors, keys and tokens against your quota.",
  VIEWER: "Your organization today: requests, errors, keys and tokens against your quota.",
};

/**
 * The landing page: the figures each role may see, one card per figure (each loads and fails
 * on its own). Compliance officers do not see traffic or quotas; members of an organization
 * do not see erasures or the gateway.
 */
export function OverviewPage({ role, gatewayUrl }: { role: AccessRole; gatewayUrl: string }) {
  const seesTraffic = role === "ADMIN" || isMemberRole(role);
  const seesOperations = role === "ADMIN" || role === "COMPLIANCE";
  return (
    <>
      <PageHeader title="Overview" description={DESCRIPTIONS[role]} />
      <div className="grid gap-5 lg:grid-cols-2">
        {seesTraffic ? (
          <div className="lg:col-span-2">
            <TrafficCard isAdmin={role === "ADMIN"} gatewayUrl={gatewayUrl} />
          </div>
        ) : null}
        <ActiveKeysCard isOwnOrganization={isMemberRole(role)} />
        {seesTraffic ? <QuotaCard isAdmin={role === "ADMIN"} /> : null}
        {seesOperations ? <DeletionsCard /> : null}
        {seesOperations ? (
          <div className={role === "COMPLIANCE" ? "lg:col-span-2" : undefined}>
            <GatewayHealthCard />
          </div>
        ) : null}
      </div>
    </>
  );
}
