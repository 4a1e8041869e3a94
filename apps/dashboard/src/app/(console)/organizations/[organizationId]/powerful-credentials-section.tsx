"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { CredentialName } from "../../../../components/credentials/credential-name.tsx";
import { PowerfulScopeBadges } from "../../../../components/credentials/powerful-scope-badges.tsx";
import { formatDate, formatRelative } from "../../../../components/format.ts";
import { QueryTable } from "../../../../components/query-table.tsx";
import { ShieldIcon } from "../../../../components/ui/icons.tsx";
import { Section } from "../../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../../components/ui/states.tsx";
import { TD, TR } from "../../../../components/ui/table.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";

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
      <QueryTable
        query={credentials}
        label="Powerful credentials"
        loadingLabel="Loading powerful credentials"
        loadingRows={2}
        columns={["Name", "Kind", "Can", "Created", "Last used"]}
        empty={
          <EmptyState
            title="None"
            description="No active key or client of this organization can erase or export end users' data."
            icon={<ShieldIcon className="size-6" />}
          />
        }
        row={(credential) => (
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
        )}
      />
    </Section>
  );
}
