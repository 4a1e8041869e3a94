"use client";

import { type AccessRole, CREDENTIAL_STATES, isMemberRole } from "@dsc/trpc/schemas";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { formatDate, formatRelative } from "../format.ts";
import { OrganizationFilter } from "../organization-picker.tsx";
import { QueryTable } from "../query-table.tsx";
import { Badge, type BadgeTone } from "../ui/badge.tsx";
import { Button } from "../ui/button.tsx";
import { useCursorPages } from "../ui/cursor-pager.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "../ui/dropdown-menu.tsx";
import { KeyIcon, MoreIcon } from "../ui/icons.tsx";
import { PageHeader } from "../ui/page-header.tsx";
import { Select } from "../ui/select.tsx";
import { EmptyState } from "../ui/states.tsx";
import { ActionsTD, TD, TR } from "../ui/table.tsx";
import { CreateCredentialDialog } from "./create-credential-dialog.tsx";
import { RevokeDialog, RotateDialog } from "./credential-actions.tsx";
import { bindCredentialKind } from "./credential-hooks.ts";
import type { CredentialRow } from "./credential-kind.ts";
import { CREDENTIAL_KINDS, type CredentialKindName } from "./credential-kinds.ts";
import { CredentialName } from "./credential-name.tsx";
import { PowerfulScopeBadges } from "./powerful-scope-badges.tsx";

type State = (typeof CREDENTIAL_STATES)[number];
const STATE_TONES: Record<State, BadgeTone> = { active: "success", expired: "warning", revoked: "danger" };
const STATE_LABELS: Record<State, string> = { active: "Active", expired: "Expired", revoked: "Revoked" };

/**
 * The list of an organization's (or every organization's) API keys or OAuth clients, with
 * filters kept in the address (so links and reloads keep them), server paging, and the
 * create / rotate / revoke flows.
 */
export function CredentialsView({
  kind: kindName,
  gatewayUrl,
  role,
  ownOrganizationId,
  initialOrganizationId,
  initialState,
}: {
  kind: CredentialKindName;
  /** where the gateway answers, for the usage shown with a new secret */
  gatewayUrl: string;
  role: AccessRole;
  ownOrganizationId: string | null;
  initialOrganizationId: string | undefined;
  initialState: State | undefined;
}) {
  const kind = useMemo(
    () => bindCredentialKind(CREDENTIAL_KINDS[kindName], gatewayUrl),
    [kindName, gatewayUrl],
  );
  const router = useRouter();
  const pathname = usePathname();
  const isDeveloper = isMemberRole(role);
  const canManage = role !== "COMPLIANCE" && role !== "VIEWER";
  const [organizationId, setOrganizationId] = useState(
    isDeveloper ? (ownOrganizationId ?? undefined) : initialOrganizationId,
  );
  const [state, setState] = useState<State | undefined>(initialState);
  const pages = useCursorPages();
  const { reset } = pages;
  const [rotating, setRotating] = useState<CredentialRow | null>(null);
  const [revoking, setRevoking] = useState<CredentialRow | null>(null);

  useEffect(() => {
    reset();
    const params = new URLSearchParams();
    if (organizationId && !isDeveloper) params.set("organization", organizationId);
    if (state) params.set("state", state);
    const query = params.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [organizationId, state, isDeveloper, pathname, router, reset]);

  const list = kind.useList({ organizationId, state, after: pages.after });
  const showOrganization = !isDeveloper && !organizationId;

  return (
    <>
      <PageHeader
        title={capitalise(kind.nounPlural)}
        description={kind.description}
        actions={
          canManage ? (
            <CreateCredentialDialog
              kind={kind}
              isAdmin={role === "ADMIN"}
              organizationId={{ value: organizationId, isFixed: isDeveloper }}
            />
          ) : null
        }
      />
      <div className="mb-4 flex flex-wrap gap-3">
        {isDeveloper ? null : <OrganizationFilter value={organizationId} onChange={setOrganizationId} />}
        <div className="w-40">
          <Select
            aria-label="State"
            value={state ?? "any"}
            onValueChange={(value) => setState(value === "any" ? undefined : (value as State))}
            options={[
              { value: "any", label: "Any state" },
              ...CREDENTIAL_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] })),
            ]}
          />
        </div>
      </div>

      <QueryTable
        query={list}
        label={capitalise(kind.nounPlural)}
        loadingLabel={`Loading ${kind.nounPlural}`}
        columns={[
          "Name",
          showOrganization && "Organization",
          "Secret",
          "Scopes",
          "State",
          // the least needed column goes on narrower screens, so that the rest fits
          { header: "Created", className: "hidden 2xl:table-cell" },
          "Last used",
          "Expires",
        ]}
        hasActions={canManage}
        empty={
          <EmptyState
            title={
              state
                ? `No ${STATE_LABELS[state].toLowerCase()} ${kind.nounPlural}`
                : `No ${kind.nounPlural} yet`
            }
            description={kind.emptyDescription}
            icon={<KeyIcon className="size-6" />}
            action={
              canManage && !state ? (
                <CreateCredentialDialog
                  kind={kind}
                  isAdmin={role === "ADMIN"}
                  organizationId={{ value: organizationId, isFixed: isDeveloper }}
                />
              ) : null
            }
          />
        }
        row={(row) => (
          <TR key={row.id} data-credential-id={row.id}>
            <TD>
              <CredentialName name={row.name} id={row.id}>
                <div className="mt-1 flex flex-wrap gap-1 empty:hidden">
                  <PowerfulScopeBadges scopes={row.scopes} />
                </div>
              </CredentialName>
            </TD>
            {showOrganization ? (
              <TD>
                <span className="block max-w-40 truncate whitespace-nowrap" title={row.organizationName}>
                  {row.organizationName}
                </span>
              </TD>
            ) : null}
            <TD>
              <code className="text-xs whitespace-nowrap">{row.prefix}</code>
            </TD>
            <TD>
              <div className="flex max-w-48 flex-wrap gap-1">
                {row.scopes.map((scope) => (
                  <Badge key={scope}>{scope}</Badge>
                ))}
              </div>
            </TD>
            <TD>
              <Badge tone={STATE_TONES[row.state]}>{STATE_LABELS[row.state]}</Badge>
            </TD>
            <TD className="hidden whitespace-nowrap text-text-muted 2xl:table-cell">
              {formatDate(row.createdAt)}
            </TD>
            <TD className="whitespace-nowrap text-text-muted">{formatRelative(row.lastUsedAt)}</TD>
            <TD className="whitespace-nowrap text-text-muted">
              {row.expiresAt ? formatDate(row.expiresAt) : "Never"}
            </TD>
            {canManage ? (
              <ActionsTD>
                {row.state === "active" ? (
                  <DropdownMenu>
                    <DropdownMenuTrigger asChild>
                      <Button variant="ghost" size="sm" aria-label={`Actions for ${row.name}`}>
                        <MoreIcon className="size-4" />
                      </Button>
                    </DropdownMenuTrigger>
                    <DropdownMenuContent>
                      <DropdownMenuItem onSelect={() => setRotating(row)}>
                        Rotate {kind.secretName}…
                      </DropdownMenuItem>
                      <DropdownMenuItem tone="danger" onSelect={() => setRevoking(row)}>
                        Revoke…
                      </DropdownMenuItem>
                    </DropdownMenuContent>
                  </DropdownMenu>
                ) : null}
              </ActionsTD>
            ) : null}
          </TR>
        )}
        pages={pages}
      />
      {rotating ? <RotateDialog kind={kind} row={rotating} onClose={() => setRotating(null)} /> : null}
      {revoking ? <RevokeDialog kind={kind} row={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
