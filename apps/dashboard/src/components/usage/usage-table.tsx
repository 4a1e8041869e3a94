"use client";

import { useState } from "react";
import { Button } from "../ui/button.tsx";
import { ChevronLeftIcon, ChevronRightIcon } from "../ui/icons.tsx";
import { TBody, TD, TH, THead, TR } from "../ui/table.tsx";
import { errorRate, type UsageAnalytics, usageTableCaption, usageTableRows } from "./usage-data.ts";
import { formatBucket, formatCount, formatLatency, formatPercent, formatUsd } from "./usage-format.ts";
import type { UsageGroupBy } from "./usage-view.ts";
import { GROUPING_LABELS } from "./usage-view.ts";

// a day by the minute and by ten groups is 15,840 lines: a page at a time keeps the page quick
const ROWS_PER_PAGE = 100;

/** The charts' data as a table: one line per bucket and group, captioned with what a line is. */
export function UsageTable({ analytics, groupBy }: { analytics: UsageAnalytics; groupBy: UsageGroupBy }) {
  const rows = usageTableRows(analytics);
  const [page, setPage] = useState(0);
  const pageCount = Math.max(1, Math.ceil(rows.length / ROWS_PER_PAGE));
  const current = Math.min(page, pageCount - 1);
  const shown = rows.slice(current * ROWS_PER_PAGE, (current + 1) * ROWS_PER_PAGE);
  const isGrouped = groupBy !== "none";
  return (
    <div className="flex flex-col gap-3">
      <div className="overflow-x-auto rounded-lg border border-border bg-surface">
        <table className="w-full border-collapse text-sm">
          <caption className="px-4 py-3 text-left text-sm font-semibold text-text">
            {usageTableCaption(analytics.bucket, groupBy)}
            <span className="ml-2 font-normal text-text-muted">
              (times in UTC; buckets without requests are left out)
            </span>
          </caption>
          <THead>
            <TR>
              <TH>Time</TH>
              {isGrouped ? <TH>{GROUPING_LABELS[groupBy]}</TH> : null}
              <TH className="text-right">Requests</TH>
              <TH className="text-right">Errors</TH>
              <TH className="text-right">Error rate</TH>
              <TH className="text-right">Prompt tokens</TH>
              <TH className="text-right">Completion tokens</TH>
              <TH className="text-right">Cache hit rate</TH>
              <TH className="text-right">p50</TH>
              <TH className="text-right">p95</TH>
              <TH className="text-right">Spend</TH>
            </TR>
          </THead>
          <TBody>
            {shown.map((row) => (
              <TR key={`${row.start.getTime()} ${row.groupKey}`}>
                <th scope="row" className="px-4 py-3 text-left font-normal whitespace-nowrap text-text">
                  {formatBucket(row.start, analytics.bucket)}
                </th>
                {isGrouped ? <TD className="max-w-56 break-all">{row.groupLabel}</TD> : null}
                <TD className="text-right tabular-nums">{formatCount(row.requests)}</TD>
                <TD className="text-right tabular-nums">{formatCount(row.errors)}</TD>
                <TD className="text-right tabular-nums">{formatPercent(errorRate(row))}</TD>
                <TD className="text-right tabular-nums">{formatCount(row.promptTokens)}</TD>
                <TD className="text-right tabular-nums">{formatCount(row.completionTokens)}</TD>
                <TD className="text-right tabular-nums">{formatPercent(row.cacheHitRate)}</TD>
                <TD className="text-right tabular-nums">{formatLatency(row.latencyP50Ms)}</TD>
                <TD className="text-right tabular-nums">{formatLatency(row.latencyP95Ms)}</TD>
                <TD className="text-right tabular-nums">{formatUsd(row.spendUsd)}</TD>
              </TR>
            ))}
          </TBody>
        </table>
      </div>
      {pageCount > 1 ? (
        <nav aria-label="Pages of the usage table" className="flex items-center justify-between gap-3">
          <span className="text-sm text-text-muted" aria-live="polite">
            Lines {formatCount(current * ROWS_PER_PAGE + 1)}–
            {formatCount(current * ROWS_PER_PAGE + shown.length)} of {formatCount(rows.length)}
          </span>
          <div className="flex gap-2">
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setPage(current - 1)}
              disabled={current === 0}
            >
              <ChevronLeftIcon className="size-4" /> Previous
            </Button>
            <Button
              variant="secondary"
              size="sm"
              onClick={() => setPage(current + 1)}
              disabled={current >= pageCount - 1}
            >
              Next <ChevronRightIcon className="size-4" />
            </Button>
          </div>
        </nav>
      ) : null}
    </div>
  );
}
