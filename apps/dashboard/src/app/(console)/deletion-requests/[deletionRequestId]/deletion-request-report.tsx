"use client";

import type { AppRouter } from "@dsc/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import type { ReactNode } from "react";
import { LiveCountdown } from "../../../../components/deletion-requests/deadline-cell.tsx";
import {
  DeadlineBadge,
  DeletionStatusBadge,
  SUBJECT_LABELS,
} from "../../../../components/deletion-requests/deletion-request-badges.tsx";
import { ProcessNowButton } from "../../../../components/deletion-requests/process-now-button.tsx";
import { formatDateTime, formatNumber, formatRelative } from "../../../../components/format.ts";
import { OrganizationLink } from "../../../../components/organization-link.tsx";
import { Badge } from "../../../../components/ui/badge.tsx";
import { CopyableValue } from "../../../../components/ui/copyable-value.tsx";
import { AlertIcon, ArrowLeftIcon } from "../../../../components/ui/icons.tsx";
import { PageHeader, Section } from "../../../../components/ui/page-header.tsx";
import { Table, TBody, TD, TH, THead, TR } from "../../../../components/ui/table.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { DeletionRequestActions } from "./deletion-request-actions.tsx";

export type DeletionRequestDetails = inferRouterOutputs<AppRouter>["deletionRequests"]["get"];

/** until the worker has finished, the page looks again this often so the report appears by itself */
const UNFINISHED_REFRESH_MS = 5_000;

const ERASED_KIND_LABELS: Record<string, string> = {
  chat_logs: "Conversation logs, with their encryption keys",
  usage_identities: "Usage records that lost the end-user id (the counts stay)",
  usage_dead_letters: "Usage records the database refused, kept to settle, that lost the end-user id",
  files: "Uploaded files",
  cache_entries: "Cached answers",
  accounts: "API keys, OAuth clients and dashboard accounts",
};

const WAITING: Record<string, string> = {
  PENDING:
    "Waiting for the worker, which takes requests within minutes. The report appears here when it is done.",
  PROCESSING: "The worker is erasing now. The report appears here when it is done.",
  FAILED:
    "The last attempt failed; the worker tries again on its next run. If it keeps failing, look at the worker's logs.",
};

export function DeletionRequestReportView({
  initial,
  wasAlreadyOpen,
  canAct,
}: {
  initial: DeletionRequestDetails;
  wasAlreadyOpen: boolean;
  /** compliance officers override holds and retry failed erasures; admins only look */
  canAct: boolean;
}) {
  const trpc = useTRPC();
  const { data: request } = useQuery(
    trpc.deletionRequests.get.queryOptions(
      { deletionRequestId: initial.id },
      {
        initialData: initial,
        refetchInterval: (query) =>
          query.state.data?.status === "COMPLETED" ? false : UNFINISHED_REFRESH_MS,
      },
    ),
  );
  const subject = SUBJECT_LABELS[request.subjectType] ?? request.subjectType;

  return (
    <>
      <PageHeader
        eyebrow={
          <Link
            href="/deletion-requests"
            className="inline-flex items-center gap-1 text-text-muted no-underline hover:text-text"
          >
            <ArrowLeftIcon className="size-4" /> Deletion requests
          </Link>
        }
        title={
          <>
            Erasure of {subject.toLowerCase()} <span className="break-all">{request.subjectId}</span>
          </>
        }
        description={
          <span className="flex flex-wrap items-center gap-2">
            <code className="text-xs">{request.id}</code>
            {request.organizationId ? (
              <>
                ·
                <OrganizationLink id={request.organizationId} name={request.organizationName} />
              </>
            ) : null}
            · <DeletionStatusBadge status={request.status} />
            <DeadlineBadge risk={request.risk} />
          </span>
        }
        actions={
          <>
            {request.canProcessNow ? (
              <ProcessNowButton id={request.id} label={`${subject} ${request.subjectId}`} />
            ) : null}
            {canAct ? <DeletionRequestActions id={request.id} status={request.status} /> : null}
          </>
        }
      />

      {wasAlreadyOpen ? (
        <p className="mb-5 rounded-md border border-border bg-surface-muted px-4 py-3 text-sm text-text">
          An erasure of this {subject.toLowerCase()} was already open, so no second one was opened.
        </p>
      ) : null}
      {request.risk ? <DeadlineNotice risk={request.risk} dueAt={request.dueAt} /> : null}

      <div className="grid gap-5 lg:grid-cols-[2fr_3fr]">
        <Section title="Timeline" description="Every erasure is due 72 hours after it was requested.">
          <dl className="flex flex-col gap-3 text-sm">
            <Moment label="Requested" at={request.createdAt}>
              by{" "}
              {request.requestedByName ? (
                <span title={request.requestedBy}>{request.requestedByName}</span>
              ) : (
                <code className="text-xs">{request.requestedBy}</code>
              )}
            </Moment>
            <Moment label="Due" at={request.dueAt}>
              <LiveCountdown status={request.status} dueAt={request.dueAt} />
            </Moment>
            <Moment label="Started" at={request.startedAt} />
            <Moment label="Completed" at={request.completedAt}>
              {request.isLate ? <Badge tone="warning">After the deadline</Badge> : null}
            </Moment>
          </dl>
        </Section>

        <Section
          title="Report"
          description="What the worker erased, by kind. The report itself names no personal data beyond the subject's id."
        >
          {request.erased ? (
            <ErasedCounts erased={request.erased} reportSha256={request.reportSha256} />
          ) : request.waiting ? (
            <p className="text-sm text-text-muted">
              Every step is done. No gateway confirms that it purged the answers it cached in memory, so the
              worker completes the erasure once they have expired, {formatRelative(request.waiting.until)} (
              {formatDateTime(request.waiting.until)}). The report appears here then.
            </p>
          ) : (
            <p className="text-sm text-text-muted">{WAITING[request.status] ?? "No report was written."}</p>
          )}
        </Section>
      </div>
    </>
  );
}

function DeadlineNotice({ risk, dueAt }: { risk: "overdue" | "near_deadline"; dueAt: Date }) {
  const isOverdue = risk === "overdue";
  return (
    <div
      role="alert"
      className={
        isOverdue
          ? "mb-5 flex items-start gap-3 rounded-lg border border-danger/40 bg-danger-soft px-4 py-3 text-sm text-danger"
          : "mb-5 flex items-start gap-3 rounded-lg border border-warning/40 bg-warning-soft px-4 py-3 text-sm text-warning"
      }
    >
      <AlertIcon className="mt-0.5 size-5 shrink-0" />
      <p>
        {isOverdue
          ? `This erasure was due ${formatRelative(dueAt)} and is not done. `
          : `This erasure is due ${formatRelative(dueAt)} and is not done yet. `}
        Check that the worker is running and look at its logs; the worker retries failed requests on its next
        run.
      </p>
    </div>
  );
}

function Moment({ label, at, children }: { label: string; at: Date | null; children?: ReactNode }) {
  return (
    <div className="grid grid-cols-[6.5rem_1fr] gap-3">
      <dt className="text-text-muted">{label}</dt>
      <dd className="flex flex-wrap items-center gap-2 text-text">
        <span>{formatDateTime(at)}</span>
        {at && children ? <span className="text-text-muted">{children}</span> : null}
      </dd>
    </div>
  );
}

function ErasedCounts({
  erased,
  reportSha256,
}: {
  erased: Record<string, number>;
  reportSha256: string | null;
}) {
  const kinds = Object.entries(erased);
  const total = kinds.reduce((sum, [, count]) => sum + count, 0);
  return (
    <div className="flex flex-col gap-4">
      <Table label="Erased items">
        <THead>
          <TR>
            <TH>Kind</TH>
            <TH className="text-right">Items</TH>
          </TR>
        </THead>
        <TBody>
          {kinds.map(([kind, count]) => (
            <TR key={kind}>
              <TD>
                {ERASED_KIND_LABELS[kind] ?? kind}{" "}
                <code className="ml-1 text-xs text-text-muted">{kind}</code>
              </TD>
              <TD className="text-right tabular-nums">{formatNumber(count)}</TD>
            </TR>
          ))}
          <TR>
            <TD className="font-semibold">Total</TD>
            <TD className="text-right font-semibold tabular-nums">{formatNumber(total)}</TD>
          </TR>
        </TBody>
      </Table>
      {reportSha256 ? (
        <CopyableValue
          label="SHA-256 of the report"
          value={reportSha256}
          look="digest"
          testId="report-sha256"
        >
          <p className="text-xs text-text-muted">
            Computed by the worker over the report as it wrote it; keep it with your records as evidence of
            the erasure.
          </p>
        </CopyableValue>
      ) : null}
    </div>
  );
}
