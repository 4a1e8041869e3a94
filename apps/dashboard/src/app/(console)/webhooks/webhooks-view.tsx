"use client";

import type { AppRouter } from "@dsc/trpc";
import { type AccessRole, isMemberRole } from "@dsc/trpc/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useEffect, useState } from "react";
import { formatDate } from "../../../components/format.ts";
import { OrganizationPicker } from "../../../components/organization-picker.tsx";
import { QueryTable } from "../../../components/query-table.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { useCursorPages } from "../../../components/ui/cursor-pager.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "../../../components/ui/dropdown-menu.tsx";
import { FormError } from "../../../components/ui/field.tsx";
import { InboxIcon, MoreIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { ActionsTD, TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";
import { DeliveriesDialog } from "./deliveries-dialog.tsx";
import { DeleteEndpointDialog, RotateSecretDialog } from "./endpoint-actions.tsx";
import { EndpointDialog } from "./endpoint-dialog.tsx";
import { WEBHOOK_EVENT_LABELS } from "./webhook-event-labels.ts";

export type WebhookEndpoint = inferRouterOutputs<AppRouter>["webhooks"]["list"]["items"][number];

/** "platform" in the owner picker stands for the platform's endpoints (organization null). */
const PLATFORM = "all";

/**
 * The webhook endpoints of one owner: a developer's organization, or for admins (and, reading,
 * compliance officers) any organization or the platform.
 */
export function WebhooksView({
  role,
  ownOrganizationId,
}: {
  role: AccessRole;
  ownOrganizationId: string | null;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isDeveloper = isMemberRole(role);
  const canManage = role !== "COMPLIANCE" && role !== "VIEWER";
  const [owner, setOwner] = useState<string>(isDeveloper ? (ownOrganizationId ?? "") : PLATFORM);
  const organizationId = owner === PLATFORM ? null : owner;
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => {
    if (owner) reset();
  }, [owner, reset]);
  const list = useQuery(trpc.webhooks.list.queryOptions({ organizationId, after: pages.after }));
  const [editing, setEditing] = useState<WebhookEndpoint | "new" | null>(null);
  const [rotating, setRotating] = useState<WebhookEndpoint | null>(null);
  const [deleting, setDeleting] = useState<WebhookEndpoint | null>(null);
  const [watching, setWatching] = useState<WebhookEndpoint | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
  const setEnabled = useMutation(
    trpc.webhooks.setEnabled.mutationOptions({
      onSuccess: refresh,
      onError: (e) => setActionError(errorMessage(e)),
    }),
  );
  const sendTest = useMutation(
    trpc.webhooks.sendTest.mutationOptions({
      onSuccess: () => setNotice("Test event queued: the worker sends it within a minute. See Deliveries."),
      onError: (e) => setActionError(errorMessage(e)),
    }),
  );

  const newButton = canManage ? <Button onClick={() => setEditing("new")}>New endpoint</Button> : null;
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Endpoints that receive signed events (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). Deliveries are retried with backoff for about a day."
        actions={newButton}
      />
      {isDeveloper ? null : (
        <div className="mb-4 w-80">
          <OrganizationPicker
            aria-label="Whose endpoints"
            value={owner}
            onValueChange={setOwner}
            allLabel="The platform (every organization's events)"
          />
        </div>
      )}
      <FormError message={actionError} />
      {notice ? (
        <p role="status" className="mb-3 text-sm text-text-muted">
          {notice}
        </p>
      ) : null}
      <QueryTable
        query={list}
        label="Webhook endpoints"
        loadingLabel="Loading webhook endpoints"
        columns={["URL", "Events", "State", "Created"]}
        hasActions
        empty={
          <EmptyState
            title="No webhook endpoints"
            description="Register a URL to be told about quotas, expiring credentials, deletion deadlines and failing upstreams."
            icon={<InboxIcon className="size-6" />}
            action={newButton}
          />
        }
        row={(endpoint) => (
          <TR key={endpoint.id} data-endpoint-id={endpoint.id}>
            <TD>
              <div className="flex flex-col">
                <code className="max-w-96 truncate text-xs" title={endpoint.url}>
                  {endpoint.url}
                </code>
                {endpoint.description ? (
                  <span className="text-xs text-text-muted">{endpoint.description}</span>
                ) : null}
              </div>
            </TD>
            <TD>
              <div className="flex max-w-80 flex-wrap gap-1">
                {endpoint.eventTypes.map((type) => (
                  <Badge key={type}>
                    {WEBHOOK_EVENT_LABELS[type as keyof typeof WEBHOOK_EVENT_LABELS]?.label ?? type}
                  </Badge>
                ))}
              </div>
            </TD>
            <TD>
              {endpoint.enabled ? (
                <Badge tone="success">Enabled</Badge>
              ) : (
                <div className="flex flex-col items-start gap-1">
                  <Badge tone="warning">Disabled</Badge>
                  {endpoint.disabledReason ? (
                    <span className="max-w-60 text-xs text-text-muted">{endpoint.disabledReason}</span>
                  ) : null}
                </div>
              )}
            </TD>
            <TD className="whitespace-nowrap text-text-muted">{formatDate(endpoint.createdAt)}</TD>
            <ActionsTD>
              <DropdownMenu>
                <DropdownMenuTrigger asChild>
                  <Button variant="ghost" size="sm" aria-label={`Actions for ${endpoint.url}`}>
                    <MoreIcon className="size-4" />
                  </Button>
                </DropdownMenuTrigger>
                <DropdownMenuContent>
                  <DropdownMenuItem onSelect={() => setWatching(endpoint)}>Deliveries…</DropdownMenuItem>
                  {canManage ? (
                    <>
                      <DropdownMenuItem onSelect={() => setEditing(endpoint)}>Edit…</DropdownMenuItem>
                      <DropdownMenuItem
                        onSelect={() => {
                          setActionError(null);
                          setNotice(null);
                          sendTest.mutate({ endpointId: endpoint.id });
                        }}
                      >
                        Send test event
                      </DropdownMenuItem>
                      <DropdownMenuItem
                        onSelect={() => {
                          setActionError(null);
                          setEnabled.mutate({ endpointId: endpoint.id, enabled: !endpoint.enabled });
                        }}
                      >
                        {endpoint.enabled ? "Disable" : "Enable"}
                      </DropdownMenuItem>
                      <DropdownMenuItem onSelect={() => setRotating(endpoint)}>
                        Rotate secret…
                      </DropdownMenuItem>
                      <DropdownMenuItem tone="danger" onSelect={() => setDeleting(endpoint)}>
                        Delete…
                      </DropdownMenuItem>
                    </>
                  ) : null}
                </DropdownMenuContent>
              </DropdownMenu>
            </ActionsTD>
          </TR>
        )}
        pages={pages}
      />
      {editing ? (
        <EndpointDialog
          endpoint={editing === "new" ? null : editing}
          organizationId={organizationId}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {rotating ? <RotateSecretDialog endpoint={rotating} onClose={() => setRotating(null)} /> : null}
      {deleting ? <DeleteEndpointDialog endpoint={deleting} onClose={() => setDeleting(null)} /> : null}
      {watching ? <DeliveriesDialog endpoint={watching} onClose={() => setWatching(null)} /> : null}
    </>
  );
}
