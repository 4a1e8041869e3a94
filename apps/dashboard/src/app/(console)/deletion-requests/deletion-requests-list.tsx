"use client";

import type { AppRouter } from "@dsc/trpc";
import { DELETION_REQUEST_FILTERS, type DeletionRequestFilter, NEAR_DEADLINE_HOURS } from "@dsc/trpc/schemas";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { DeadlineCell, useDeadlineRowTone } from "../../../components/deletion-requests/deadline-cell.tsx";
import {
  DELETION_STATUS_LABELS,
  DeletionStatusBadge,
  SUBJECT_LABELS,
} from "../../../components/deletion-requests/deletion-request-badges.tsx";
import { ExportRegisterButton } from "../../../components/deletion-requests/export-register-button.tsx";
import { ProcessNowButton } from "../../../components/deletion-requests/process-now-button.tsx";
import { formatDateTime } from "../../../components/format.ts";
import { OrganizationLink } from "../../../components/organization-link.tsx";
import { OrganizationFilter } from "../../../components/organization-picker.tsx";
import { QueryTable } from "../../../components/query-table.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { useCursorPages } from "../../../components/ui/cursor-pager.tsx";
import { ShieldIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { Select } from "../../../components/ui/select.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { ActionsTD, TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { RequestErasureDialog } from "./request-erasure-dialog.tsx";

type DeletionRequestRow = inferRouterOutputs<AppRouter>["deletionRequests"]["list"]["items"][number];

const PAGE_SIZE = 20;
const FILTER_LABELS: Record<DeletionRequestFilter, string> = {
  ...DELETION_STATUS_LABELS,
  AT_RISK: "Overdue or due soon",
  // the filter names the status; the badge also says that the worker retries
  FAILED: "Failed",
};

/**
 * Every erasure request, newest first, with the deadline flag on those that are overdue or due
 * soon. Filters live in the address, so the banner's link and a reload keep them.
 */
export function DeletionRequestsList({
  canRequestErasure,
  initialOrganizationId,
  initialStatus,
}: {
  canRequestErasure: boolean;
  initialOrganizationId: string | undefined;
  initialStatus: DeletionRequestFilter | undefined;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [organizationId, setOrganizationId] = useState(initialOrganizationId);
  const [status, setStatus] = useState(initialStatus);
  // a link to this page while it is open (the banner's) changes the filter too
  useEffect(() => setStatus(initialStatus), [initialStatus]);
  const pages = useCursorPages();
  const { reset } = pages;

  useEffect(() => {
    reset();
    const params = new URLSearchParams();
    if (organizationId) params.set("organization", organizationId);
    if (status) params.set("status", status);
    const query = params.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [organizationId, status, pathname, router, reset]);

  const list = useQuery(
    trpc.deletionRequests.list.queryOptions({ organizationId, status, limit: PAGE_SIZE, after: pages.after }),
  );

  return (
    <>
      <PageHeader
        title="Deletion requests"
        description="Erasures of end users, organizations and accounts. The worker carries each out within minutes; every one must be done within 72 hours of the request."
        actions={
          <>
            <ExportRegisterButton organizationId={organizationId} status={status} />
            {canRequestErasure ? <RequestErasureDialog organizationId={organizationId} /> : null}
          </>
        }
      />
      <div className="mb-4 flex flex-wrap gap-3">
        <OrganizationFilter value={organizationId} onChange={setOrganizationId} />
        <div className="w-52">
          <Select
            aria-label="Status"
            value={status ?? "any"}
            onValueChange={(value) =>
              setStatus(value === "any" ? undefined : (value as DeletionRequestFilter))
            }
            options={[
              { value: "any", label: "Any status" },
              ...DELETION_REQUEST_FILTERS.map((name) => ({ value: name, label: FILTER_LABELS[name] })),
            ]}
          />
        </div>
      </div>

      <QueryTable
        query={list}
        label="Deletion requests"
        loadingLabel="Loading deletion requests"
        columns={["Subject", "Organization", "Status", "Requested", "Due", "Completed"]}
        hasActions
        empty={
          <EmptyState
            title={
              status === "AT_RISK"
                ? "No request is overdue or due soon"
                : status
                  ? `No ${FILTER_LABELS[status].toLowerCase()} deletion requests`
                  : "No deletion requests yet"
            }
            description={
              status === "AT_RISK"
                ? `Every unfinished request is more than ${NEAR_DEADLINE_HOURS} hours from its deadline.`
                : "Requests come from the API (DELETE /v1/users/{user}), the admin CLI, and this page."
            }
            icon={<ShieldIcon className="size-6" />}
            action={
              canRequestErasure && !status ? <RequestErasureDialog organizationId={organizationId} /> : null
            }
          />
        }
        row={(request) => <DeletionRequestTableRow key={request.id} request={request} />}
        pages={pages}
      />
    </>
  );
}

function DeletionRequestTableRow({ request }: { request: DeletionRequestRow }) {
  const isLate = request.completedAt !== null && request.completedAt > request.dueAt;
  const subject = `${SUBJECT_LABELS[request.subjectType] ?? request.subjectType} ${request.subjectId}`;
  return (
    <TR className={useDeadlineRowTone(request.status, request.dueAt)}>
      <TD>
        <Link
          href={`/deletion-requests/${request.id}`}
          className="flex flex-col no-underline hover:underline"
          aria-label={`${SUBJECT_LABELS[request.subjectType] ?? request.subjectType} ${request.subjectId}: open the report`}
        >
          <span className="text-xs text-text-muted">
            {SUBJECT_LABELS[request.subjectType] ?? request.subjectType}
          </span>
          <span className="font-medium text-accent break-all">{request.subjectId}</span>
        </Link>
      </TD>
      <TD>
        {request.organizationId ? (
          <OrganizationLink id={request.organizationId} name={request.organizationName} />
        ) : (
          <span className="text-text-muted">None</span>
        )}
      </TD>
      <TD>
        <DeletionStatusBadge status={request.status} />
      </TD>
      <TD className="text-text-muted">
        <span className="flex flex-col">
          <span className="whitespace-nowrap">{formatDateTime(request.createdAt)}</span>
          <span className="text-xs" title={request.requestedBy}>
            by {request.requestedByName ?? request.requestedBy}
          </span>
        </span>
      </TD>
      <TD>
        <DeadlineCell status={request.status} dueAt={request.dueAt} />
      </TD>
      <TD className="whitespace-nowrap text-text-muted">
        {request.completedAt ? (
          <span className="flex flex-col items-start gap-1">
            {formatDateTime(request.completedAt)}
            {isLate ? <Badge tone="warning">Late</Badge> : null}
          </span>
        ) : (
          "—"
        )}
      </TD>
      <ActionsTD>
        {request.canProcessNow ? <ProcessNowButton id={request.id} label={subject} /> : null}
      </ActionsTD>
    </TR>
  );
}
