"use client";

import type { AppRouter } from "@dsc/trpc";
import { type AccessRole, isMemberRole } from "@dsc/trpc/schemas";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { formatBytes, formatDate, formatNumber } from "../../../../components/format.ts";
import { Badge } from "../../../../components/ui/badge.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { AppIcon, ArrowLeftIcon, KeyIcon, LayersIcon } from "../../../../components/ui/icons.tsx";
import { PageHeader, Section } from "../../../../components/ui/page-header.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { DataProtectionForm } from "./data-protection-form.tsx";
import { LegalHoldSection } from "./legal-hold-section.tsx";
import { MembersSection } from "./members-section.tsx";
import { PowerfulCredentialsSection } from "./powerful-credentials-section.tsx";
import { RetentionForm } from "./retention-form.tsx";
import { SettingsForm } from "./settings-form.tsx";
import { TierForm } from "./tier-form.tsx";

export type OrganizationDetails = inferRouterOutputs<AppRouter>["organizations"]["get"];

export function OrganizationDetailsView({
  initial,
  role,
}: {
  initial: OrganizationDetails;
  role: AccessRole;
}) {
  const trpc = useTRPC();
  const { data: org } = useQuery(
    trpc.organizations.get.queryOptions({ organizationId: initial.id }, { initialData: initial }),
  );
  const canManage = role === "ADMIN";
  // compliance officers own data protection; developers see neither card
  const seesDataProtection = !isMemberRole(role);
  // who can erase or export end users' data is for those who answer for it, and admins
  const seesPowerfulCredentials = role === "ADMIN" || role === "COMPLIANCE";
  const limits: [string, string][] = [
    ["Requests per minute", formatNumber(org.tier.requestsPerMinute)],
    ["Tokens per minute", formatNumber(org.tier.tokensPerMinute)],
    ["Tokens per month", formatNumber(org.tier.monthlyTokenQuota)],
    ["Largest file", formatBytes(org.tier.maxFileBytes)],
  ];

  return (
    <>
      <PageHeader
        eyebrow={
          isMemberRole(role) ? (
            "Your organization"
          ) : (
            <Link
              href="/organizations"
              className="inline-flex items-center gap-1 text-text-muted no-underline hover:text-text"
            >
              <ArrowLeftIcon className="size-4" /> Organizations
            </Link>
          )
        }
        title={org.name}
        description={
          <>
            <code className="text-xs">{org.id}</code> · created {formatDate(org.createdAt)}
            {org.legalHold ? (
              <>
                {" "}
                · <Badge tone="danger">Legal hold</Badge>
              </>
            ) : null}
          </>
        }
        actions={
          <>
            {role === "COMPLIANCE" ? null : (
              <Button variant="secondary" asChild>
                <Link href={`/usage?organizationId=${encodeURIComponent(org.id)}`}>
                  <LayersIcon className="size-4" /> View usage
                </Link>
              </Button>
            )}
            <Button variant="secondary" asChild>
              <Link href={`/api-keys?organization=${org.id}`}>
                <KeyIcon className="size-4" /> API keys
              </Link>
            </Button>
            <Button variant="secondary" asChild>
              <Link href={`/oauth-clients?organization=${org.id}`}>
                <AppIcon className="size-4" /> OAuth clients
              </Link>
            </Button>
          </>
        }
      />

      <div className="grid gap-5 lg:grid-cols-2">
        <Section
          title="Plan and limits"
          description="The tier's limits apply to every API key and OAuth client of the organization, from the next request on."
        >
          <dl className="mb-5 grid grid-cols-2 gap-x-4 gap-y-3">
            {limits.map(([label, value]) => (
              <div key={label} className="flex flex-col gap-0.5 rounded-md bg-surface-muted px-3 py-2.5">
                <dt className="text-xs text-text-muted">{label}</dt>
                <dd className="text-base font-semibold text-text">{value}</dd>
              </div>
            ))}
          </dl>
          {canManage ? (
            <TierForm organizationId={org.id} tier={org.tier.slug} />
          ) : (
            <p className="text-sm text-text-muted">
              Tier: <Badge tone="accent">{org.tier.name}</Badge>
            </p>
          )}
        </Section>

        {/* the getting-started page links here, to the data-collection opt-out */}
        <div id="data-collection" className="scroll-mt-6">
          <Section
            title="Settings"
            description="The organization's name, and whether anything of its traffic is kept beyond usage counts."
          >
            {/* owners decide what is kept of their own organization's traffic */}
            <SettingsForm organization={org} canManage={canManage || role === "OWNER"} />
          </Section>
        </div>
      </div>

      <div className="mt-5 grid gap-5 lg:grid-cols-2">
        {seesDataProtection ? (
          <Section
            title="Data protection"
            description="Personal data is masked before anything of this organization's traffic is stored or logged. Gateways apply a change from the next request."
          >
            <DataProtectionForm organization={org} canManage={role === "ADMIN" || role === "COMPLIANCE"} />
          </Section>
        ) : null}
        <div className="flex flex-col gap-5">
          <Section
            title="Retention"
            description="How long conversation logs and files are kept: the tier's days, or fewer, never more. A legal hold keeps everything longer."
            actions={
              <Button variant="secondary" size="sm" asChild>
                <Link href={isMemberRole(role) ? "/files" : `/files?organization=${org.id}`}>Files</Link>
              </Button>
            }
          >
            <RetentionForm organization={org} canManage={role === "ADMIN" || role === "COMPLIANCE"} />
          </Section>
          {seesDataProtection ? (
            <LegalHoldSection organizationId={org.id} canChange={role === "COMPLIANCE"} />
          ) : null}
        </div>
      </div>

      {seesPowerfulCredentials ? (
        <div className="mt-5">
          <PowerfulCredentialsSection organizationId={org.id} />
        </div>
      ) : null}

      <div className="mt-5">
        <MembersSection organizationId={org.id} organizationName={org.name} role={role} />
      </div>
    </>
  );
}
