"use client";

import type { AppRouter } from "@dsc/trpc";
import type { UseQueryResult } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { formatBytes, formatDateTime, formatNumber } from "../../../components/format.ts";
import { Badge } from "../../../components/ui/badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Section } from "../../../components/ui/page-header.tsx";
import { ErrorState, Skeleton } from "../../../components/ui/states.tsx";
import { errorMessage } from "../../../trpc/errors.ts";

export type FilesSummary = inferRouterOutputs<AppRouter>["files"]["summary"];

/**
 * Storage used against the tier's quota, the retention that applies, and what the next purge
 * run removes, with a button that narrows the list to those files.
 */
export function StorageSummary({
  query,
  isShowingNextPurge,
  onShowNextPurge,
}: {
  query: UseQueryResult<FilesSummary, unknown>;
  isShowingNextPurge: boolean;
  onShowNextPurge: (show: boolean) => void;
}) {
  if (query.isPending) {
    return (
      <div role="status" className="mb-5 grid gap-5 md:grid-cols-2">
        <span className="sr-only">Loading the storage summary…</span>
        <Skeleton className="h-32 w-full" />
        <Skeleton className="h-32 w-full" />
      </div>
    );
  }
  if (query.isError) {
    return (
      <div className="mb-5">
        <ErrorState
          title="The storage summary could not be loaded"
          message={errorMessage(query.error)}
          onRetry={() => query.refetch()}
        />
      </div>
    );
  }
  const summary = query.data;
  return (
    <div className="mb-5 grid gap-5 md:grid-cols-2">
      <Section
        title="Storage"
        description="Live files count against the tier's quota; expired ones no longer do."
      >
        <StorageMeter used={summary.usedBytes} quota={summary.quotaBytes} />
        <p className="mt-3 text-sm text-text-muted">
          {formatNumber(summary.fileCount)} {summary.fileCount === 1 ? "file" : "files"}. Files are kept{" "}
          {summary.effectiveFileRetentionDays} days at most
          {summary.fileRetentionDays === null
            ? ", the tier's retention."
            : ` (the organization's own setting; the tier's is ${summary.tierFileRetentionDays}).`}{" "}
          The largest file the tier accepts is {formatBytes(summary.maxFileBytes)}.
        </p>
      </Section>
      <Section
        title="Next purge"
        description={`The worker removes expired files every few minutes; the next run is at ${formatDateTime(summary.nextPurge.at)}.`}
        actions={
          summary.nextPurge.fileCount > 0 ? (
            <Button
              variant="secondary"
              size="sm"
              aria-pressed={isShowingNextPurge}
              onClick={() => onShowNextPurge(!isShowingNextPurge)}
            >
              {isShowingNextPurge ? "Show all files" : "Show them"}
            </Button>
          ) : null
        }
      >
        {summary.legalHold ? (
          <p className="text-sm">
            <Badge tone="danger">Legal hold</Badge>{" "}
            <span className="text-text-muted">
              The organization is under a legal hold: the purge keeps every file until it is lifted.
            </span>
          </p>
        ) : (
          <p className="text-sm" data-testid="next-purge">
            {summary.nextPurge.fileCount === 0
              ? "No file will have expired by then."
              : `${formatNumber(summary.nextPurge.fileCount)} ${summary.nextPurge.fileCount === 1 ? "file" : "files"} (${formatBytes(summary.nextPurge.bytes)}) will have expired by then and will be removed.`}
          </p>
        )}
      </Section>
    </div>
  );
}

function StorageMeter({ used, quota }: { used: number; quota: number | null }) {
  if (quota === null) {
    return (
      <p className="text-base font-semibold">
        {formatBytes(used)} used <span className="text-sm font-normal text-text-muted">(no quota)</span>
      </p>
    );
  }
  const share = quota === 0 ? 1 : Math.min(1, used / quota);
  const percent = Math.round(share * 100);
  const tone = share >= 0.9 ? "bg-danger" : share >= 0.75 ? "bg-warning" : "bg-accent";
  return (
    <div className="flex flex-col gap-2">
      <p className="text-base font-semibold">
        {formatBytes(used)} of {formatBytes(quota)} used{" "}
        <span className="text-sm font-normal text-text-muted">({percent}%)</span>
        {share >= 0.9 ? (
          <>
            {" "}
            <Badge tone="danger">Nearly full</Badge>
          </>
        ) : null}
      </p>
      {/* the sentence above says it in words; the bar is for the eye */}
      <div aria-hidden="true" className="h-2 overflow-hidden rounded-full bg-surface-muted">
        <div className={`h-full ${tone}`} style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
