"use client";

import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState } from "react";
import { downloadCsv, toCsv } from "../../../components/csv.ts";
import { Button } from "../../../components/ui/button.tsx";
import { cx } from "../../../components/ui/cx.ts";
import { LayersIcon, RefreshIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { EmptyState, ErrorState } from "../../../components/ui/states.tsx";
import { ErrorStatusTable } from "../../../components/usage/error-status-table.tsx";
import { GroupTotalsTable } from "../../../components/usage/group-totals-table.tsx";
import { QuotaPanel } from "../../../components/usage/quota-panel.tsx";
import { UsageCharts } from "../../../components/usage/usage-charts.tsx";
import { UsageControls } from "../../../components/usage/usage-controls.tsx";
import {
  type UsageAnalytics,
  usageCsvColumns,
  usageCsvFilename,
  usageTableRows,
} from "../../../components/usage/usage-data.ts";
import { UsageFigureList } from "../../../components/usage/usage-figures.tsx";
import { formatBucket } from "../../../components/usage/usage-format.ts";
import { UsageSkeleton } from "../../../components/usage/usage-skeleton.tsx";
import { UsageTable } from "../../../components/usage/usage-table.tsx";
import {
  analyticsInput,
  normalizeUsageView,
  parseUsageView,
  serializeUsageView,
  type UsageDisplay,
  type UsageView,
} from "../../../components/usage/usage-view.ts";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";

/**
 * The usage page. The address is the view's one source: a change writes it (without a
 * navigation, so nothing reloads but the query), and the view is read back from it.
 */
export function UsageDashboard({
  isAdmin,
  ownOrganizationId,
  gatewayUrl,
}: {
  isAdmin: boolean;
  ownOrganizationId: string | null;
  gatewayUrl: string;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const viewer = useMemo(() => ({ ownOrganizationId }), [ownOrganizationId]);
  const view = useMemo(
    () => parseUsageView(new URLSearchParams(searchParams), viewer),
    [searchParams, viewer],
  );
  // "last hour" ends at the minute of this moment: fixed until the view changes or a refresh,
  // so that the query's input (and cache key) does not change on every render
  const [now, setNow] = useState(() => new Date());

  const changeView = useCallback(
    (change: Partial<UsageView>) => {
      const query = serializeUsageView(normalizeUsageView({ ...view, ...change }, viewer));
      window.history.replaceState(null, "", query ? `${pathname}?${query}` : pathname);
      // a new question asks up to now; showing the same answer as a table asks nothing again
      if (Object.keys(change).some((key) => key !== "display")) setNow(new Date());
    },
    [view, viewer, pathname],
  );

  const analytics = useQuery(
    trpc.usage.analytics.queryOptions(analyticsInput(view, now), { placeholderData: keepPreviousData }),
  );
  const data = analytics.data;

  return (
    <>
      <PageHeader
        title="Usage"
        description={
          isAdmin
            ? "Requests, tokens, errors, latency and spend of every organization or one, over time."
            : "Requests, tokens, errors, latency and spend of your organization, over time."
        }
        actions={
          <>
            <Button
              variant="secondary"
              onClick={() => {
                setNow(new Date());
                // within the same minute the input is the same: ask again all the same
                void queryClient.invalidateQueries(trpc.usage.pathFilter());
              }}
              isPending={analytics.isFetching && !analytics.isPending}
            >
              <RefreshIcon className="size-4" /> Refresh
            </Button>
            <Button
              variant="secondary"
              // the previous view's answer, shown while the new one loads, is not what the view says
              disabled={!data || analytics.isPlaceholderData || data.points.length === 0}
              onClick={() => data && exportUsage(data, view)}
            >
              Export CSV
            </Button>
          </>
        }
      />

      <div className="mb-5">
        <UsageControls view={view} now={now} isAdmin={isAdmin} onChange={changeView} />
      </div>

      {analytics.isPending ? (
        <UsageSkeleton />
      ) : analytics.isError ? (
        <ErrorState
          title="The usage could not be loaded"
          message={errorMessage(analytics.error)}
          onRetry={() => analytics.refetch()}
        />
      ) : (
        <div className={cx("flex flex-col gap-5", analytics.isPlaceholderData && "opacity-60")}>
          <p className="text-sm text-text-muted" aria-live="polite">
            {analytics.isPlaceholderData
              ? "Updating…"
              : `From ${formatBucket(analytics.data.from, "hour")} to ${formatBucket(analytics.data.to, "hour")} UTC.`}
          </p>
          {analytics.data.totals.requests === 0 ? (
            <NoRequests gatewayUrl={gatewayUrl} isFiltered={Boolean(view.modelId || view.apiKeyId)} />
          ) : (
            <UsageReport
              analytics={analytics.data}
              view={view}
              onDisplay={(display) => changeView({ display })}
            />
          )}
          {view.organizationId ? <QuotaPanel organizationId={view.organizationId} /> : null}
        </div>
      )}
    </>
  );
}

function UsageReport({
  analytics,
  view,
  onDisplay,
}: {
  analytics: UsageAnalytics;
  view: UsageView;
  onDisplay: (display: UsageDisplay) => void;
}) {
  return (
    <>
      <UsageFigureList totals={analytics.totals} />
      <DisplayToggle display={view.display} onChange={onDisplay} />
      {view.display === "table" ? (
        <UsageTable analytics={analytics} groupBy={view.groupBy} />
      ) : (
        <UsageCharts analytics={analytics} />
      )}
      <div className={cx("grid gap-5", view.groupBy !== "none" && "lg:grid-cols-2")}>
        <ErrorStatusTable totals={analytics.totals} />
        {view.groupBy === "none" ? null : <GroupTotalsTable analytics={analytics} groupBy={view.groupBy} />}
      </div>
    </>
  );
}

/** "Chart / Table": the same data drawn, or as a table for screen readers and exact numbers. */
function DisplayToggle({
  display,
  onChange,
}: {
  display: UsageDisplay;
  onChange: (display: UsageDisplay) => void;
}) {
  const choices: { value: UsageDisplay; label: string }[] = [
    { value: "chart", label: "Chart" },
    { value: "table", label: "Table" },
  ];
  return (
    <fieldset className="m-0 flex items-center gap-3 border-0 p-0">
      <legend className="sr-only">Show the usage as</legend>
      <div className="inline-flex rounded-md border border-input-border bg-surface p-0.5">
        {choices.map((choice) => (
          <button
            key={choice.value}
            type="button"
            aria-pressed={display === choice.value}
            onClick={() => onChange(choice.value)}
            className={cx(
              "h-8 cursor-pointer rounded-[5px] px-3 text-sm font-semibold",
              "focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-focus",
              display === choice.value ? "bg-accent text-on-accent" : "text-text-muted hover:text-text",
            )}
          >
            {choice.label}
          </button>
        ))}
      </div>
    </fieldset>
  );
}

function NoRequests({ gatewayUrl, isFiltered }: { gatewayUrl: string; isFiltered: boolean }) {
  return (
    <EmptyState
      title="No requests in this range yet"
      icon={<LayersIcon className="size-6" />}
      description={
        isFiltered ? (
          "No request of this range matches the model or key chosen. Choose every model and every key, or a longer range."
        ) : (
          <>
            Requests show here within a minute of being made. Send one with an API key of the organization to{" "}
            <code className="text-xs break-all">{gatewayUrl}/v1/chat/completions</code>, or choose a longer
            range.
          </>
        )
      }
    />
  );
}

function exportUsage(analytics: UsageAnalytics, view: UsageView): void {
  downloadCsv(usageCsvFilename(analytics), toCsv(usageCsvColumns(view.groupBy), usageTableRows(analytics)));
}
