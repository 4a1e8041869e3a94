"use client";

import type { AppRouter } from "@dsc/trpc";
import { AUDIT_LOG_EXPORT_MAX_ROWS, KNOWN_AUDIT_ACTIONS } from "@dsc/trpc/schemas";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { DayRangeAndApply, FilterInput, useDraftFilters } from "../../../components/filter-fields.tsx";
import { formatDateTime, formatNumber } from "../../../components/format.ts";
import { OrganizationLink } from "../../../components/organization-link.tsx";
import { OrganizationFilter } from "../../../components/organization-picker.tsx";
import { PersonName } from "../../../components/person-name.tsx";
import { QueryTable } from "../../../components/query-table.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { CopyButton } from "../../../components/ui/copy-button.tsx";
import { useCursorPages } from "../../../components/ui/cursor-pager.tsx";
import { ShieldIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC, useTRPCClient } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";
import { exportAuditLog } from "./audit-log-export.ts";
import { type AuditFilterFields, auditFilterOf, auditFilterSearchParams } from "./audit-log-filters.ts";

type AuditEvent = inferRouterOutputs<AppRouter>["auditLog"]["search"]["items"][number];

const PAGE_SIZE = 50;
const ACTIONS_LIST_ID = "known-audit-actions";
const FILTER_MAX_LENGTH = 200;

/**
 * Every recorded action, newest first, filtered by actor, action, target, organization and day;
 * exported as CSV under the same filter. Nothing on this page changes an event.
 */
export function AuditLogList({
  initial,
  initialOrganizationId,
}: {
  initial: AuditFilterFields;
  initialOrganizationId: string | undefined;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [organizationId, setOrganizationId] = useState(initialOrganizationId);
  const { applied, field, apply } = useDraftFilters(initial);
  const pages = useCursorPages();
  const { reset } = pages;

  useEffect(() => {
    reset();
    const query = auditFilterSearchParams(applied, organizationId).toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [applied, organizationId, pathname, router, reset]);

  const filter = auditFilterOf(applied, organizationId);
  const list = useQuery(
    trpc.auditLog.search.queryOptions({ ...filter, limit: PAGE_SIZE, after: pages.after }),
  );
  const hasFilter = Object.keys(filter).length > 0;

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed what, and who read which logs, from where and when. It is append-only: nobody can change or remove an event, here or in the database."
        actions={<ExportButton filter={filter} />}
      />
      <form onSubmit={apply} className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filters">
        <OrganizationFilter value={organizationId} onChange={setOrganizationId} />
        <FilterInput
          maxLength={FILTER_MAX_LENGTH}
          label="Actor id"
          placeholder="usr_…"
          {...field("actorId")}
        />
        <FilterInput
          maxLength={FILTER_MAX_LENGTH}
          label="Action"
          list={ACTIONS_LIST_ID}
          {...field("action")}
        />
        <datalist id={ACTIONS_LIST_ID}>
          {KNOWN_AUDIT_ACTIONS.map((action) => (
            <option key={action} value={action} />
          ))}
        </datalist>
        <FilterInput
          maxLength={FILTER_MAX_LENGTH}
          label="Target type"
          placeholder="chat_log"
          {...field("targetType")}
        />
        <FilterInput maxLength={FILTER_MAX_LENGTH} label="Target id" {...field("targetId")} />
        <DayRangeAndApply maxLength={FILTER_MAX_LENGTH} from={field("fromDay")} to={field("toDay")} />
      </form>

      <QueryTable
        query={list}
        label="Audit events"
        loadingLabel="Loading audit events"
        columns={["Time", "Actor", "Action", "Target", "Organization", "Origin", "Details"]}
        empty={
          <EmptyState
            title={hasFilter ? "No event matches these filters" : "No audit events yet"}
            description={
              hasFilter
                ? "Filters match exactly: an action's full name, an actor's or target's whole id."
                : "Every change made in the dashboard, the admin CLI or the API, and every log read, is recorded here."
            }
            icon={<ShieldIcon className="size-6" />}
          />
        }
        row={(event) => <AuditEventRow key={event.id} event={event} />}
        pages={pages}
      />
    </>
  );
}

function AuditEventRow({ event }: { event: AuditEvent }) {
  return (
    <TR>
      <TD className="whitespace-nowrap text-text-muted" title={event.occurredAt.toISOString()}>
        {formatDateTime(event.occurredAt)}
      </TD>
      <TD>
        <div className="flex items-start gap-1" title={event.actorId}>
          {event.actor ? (
            <PersonName name={event.actor.name} email={event.actor.email} />
          ) : (
            <span className="flex flex-col">
              <span className="font-medium break-all">{event.actorId}</span>
              <span className="text-xs text-text-muted">
                {ACTOR_LABELS[event.actorType] ?? event.actorType}
              </span>
            </span>
          )}
          <CopyButton value={event.actorId} label="Copy the actor's id" />
        </div>
      </TD>
      <TD className="font-mono text-xs break-all">{event.action}</TD>
      <TD>
        <span className="flex flex-col">
          <span className="text-xs text-text-muted">{event.targetType}</span>
          <span className="break-all">{event.targetId}</span>
        </span>
      </TD>
      <TD>
        {event.organizationId ? (
          <OrganizationLink id={event.organizationId} name={event.organizationName ?? event.organizationId} />
        ) : (
          <span className="text-text-muted">None</span>
        )}
      </TD>
      <TD className="text-text-muted break-all">{event.origin}</TD>
      <TD>
        {event.metadata === null || event.metadata === undefined ? (
          <span className="text-text-muted">—</span>
        ) : (
          <details>
            <summary className="cursor-pointer text-sm text-accent">Show</summary>
            <pre className="mt-1 max-w-md overflow-x-auto text-xs whitespace-pre-wrap break-all">
              {JSON.stringify(event.metadata, null, 2)}
            </pre>
          </details>
        )}
      </TD>
    </TR>
  );
}

const ACTOR_LABELS: Record<string, string> = {
  USER: "Person",
  API_KEY: "API key",
  OAUTH_CLIENT: "OAuth client",
  SYSTEM: "System",
};

/** Downloads the events under the filter, 1,000 a request, and says when there were more than it took. */
function ExportButton({ filter }: { filter: ReturnType<typeof auditFilterOf> }) {
  const client = useTRPCClient();
  const [state, setState] = useState<
    | { kind: "idle" }
    | { kind: "running"; rows: number }
    | { kind: "done"; rows: number; isCapped: boolean }
    | { kind: "failed"; message: string }
  >({ kind: "idle" });
  const run = async () => {
    setState({ kind: "running", rows: 0 });
    try {
      const result = await exportAuditLog(client, filter, (rows) => setState({ kind: "running", rows }));
      setState({ kind: "done", ...result });
    } catch (error) {
      setState({ kind: "failed", message: errorMessage(error) });
    }
  };
  return (
    <div className="flex flex-col items-end gap-1">
      <Button variant="secondary" onClick={run} isPending={state.kind === "running"}>
        Export CSV
      </Button>
      <span className="text-xs text-text-muted" aria-live="polite" data-testid="audit-export-status">
        {state.kind === "running"
          ? `Reading events: ${formatNumber(state.rows)} so far…`
          : state.kind === "done"
            ? state.isCapped
              ? `Exported the newest ${formatNumber(state.rows)} events. The filter matches more: narrow it to export the rest (at most ${formatNumber(AUDIT_LOG_EXPORT_MAX_ROWS)} at a time).`
              : `Exported ${formatNumber(state.rows)} events.`
            : state.kind === "failed"
              ? `The export failed: ${state.message}`
              : null}
      </span>
    </div>
  );
}
