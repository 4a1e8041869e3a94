"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { CredentialName } from "../../../../components/credentials/credential-name.tsx";
import { PowerfulScopeBadges } from "../../../../components/credentials/powerful-scope-badges.tsx";
import { formatDate, formatRelative } from "../../../../components/format.ts";
import { ShieldIcon } from "../../../../components/ui/icons.tsx";
import { Section } from "../../../../components/ui/page-header.tsx";
import { EmptyState, ErrorState, LoadingRows } from "../../../../components/ui/states.tsx";
import { Table, TBody, TD, TH, THead, TR } from "../../../../components/ui/table.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { errorMessage } from "../../../../trpc/errors.ts";

const KINDS = {
  api_key: { label: "API key", href: "/api-keys" },
  oauth_client: { label: "OAuth client", href: "/oauth-clients" },
} as const;

/**
 * The organization's working keys and clients that can erase its end users or export their
 * data, for compliance officers and admins: who could act on an end user, at a glance.
 */
export function PowerfulCredentialsSection({ organizationId }: { organizationId: string }) {
  const trpc = useTRPC();
  const credentials = useQuery(trpc.organizations.powerfulCredentials.queryOptions({ organizationId }));
  return (
    <Section
      title="Credentials that can erase or export end users' data"
      description="Active API keys and OAuth clients holding users:delete or users:export. Revoke those that no longer need them."
    >
      {credentials.isPending ? (
        <LoadingRows columns={4} rows={2} label="Loading powerful credentials" />
      ) : credentials.isError ? (
        <ErrorState message={errorMessage(credentials.error)} onRetry={() => credentials.refetch()} />
      ) : credentials.data.length === 0 ? (
        <EmptyState
          title="None"
          description="No active key or client of this organization can erase or export end users' data."
          icon={<ShieldIcon className="size-6" />}
        />
      ) : (
        <Table label="Powerful credentials">
          <THead>
            <TR>
              <TH>Name</TH>
              <TH>Kind</TH>
              <TH>Can</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
            </TR>
          </THead>
          <TBody>
            {credentials.data.map((credential) => (
              <TR key={credential.id} data-credential-id={credential.id}>
                <TD>
                  <CredentialName name={credential.name} id={credential.id} />
                </TD>
                <TD className="whitespace-nowrap">
                  <Link href={`${KINDS[credential.type].href}?organization=${organizationId}`}>
                    {KINDS[credential.type].label}
                  </Link>
                </TD>
                <TD>
                  <div className="flex flex-wrap gap-1">
                    <PowerfulScopeBadges scopes={credential.powerfulScopes} />
                  </div>
                </TD>
                <TD className="whitespace-nowrap text-text-muted">{formatDate(credential.createdAt)}</TD>
                <TD className="whitespace-nowrap text-text-muted">{formatRelative(credential.lastUsedAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}
