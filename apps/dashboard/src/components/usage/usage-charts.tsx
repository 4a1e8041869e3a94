"use client";

import type { ReactNode } from "react";
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  Tooltip,
  type TooltipContentProps,
  XAxis,
  YAxis,
} from "recharts";
import type { NameType, ValueType } from "recharts/types/component/DefaultTooltipContent";
import {
  type ChartRow,
  latencyRows,
  OTHER_GROUP_KEY,
  type SummedFigure,
  stackedRows,
  summedRows,
  type UsageAnalytics,
  type UsageSeries,
  usageSeries,
} from "./usage-data.ts";
import {
  formatBucket,
  formatCompact,
  formatCount,
  formatLatency,
  formatTick,
  formatUsd,
} from "./usage-format.ts";

/**
 * Colours told apart with the common colour-vision deficiencies (Okabe and Ito's set, without its
 * yellow, which is too pale on white, and a few darker ones after it), readable on the light and
 * the dark theme; the group of the rest is grey.
 */
const SERIES_COLORS = [
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#7A5195",
  "#117733",
  "#882255",
  "#44AA99",
];
const OTHER_COLOR = "#8C96A3";

export function seriesColor(series: UsageSeries, index: number): string {
  return series.groupKey === OTHER_GROUP_KEY
    ? OTHER_COLOR
    : (SERIES_COLORS[index % SERIES_COLORS.length] ?? OTHER_COLOR);
}

const CHART_HEIGHT = 260;
const CHART_MARGIN = { top: 8, right: 16, bottom: 24, left: 16 };
// the charts' tooltips move together, so a bucket's requests, tokens and latency are read at once
const SYNC_ID = "usage";
/** Every chart's size, margins and shared hover (see SYNC_ID). */
const CHART_FRAME = {
  responsive: true,
  style: { width: "100%", height: CHART_HEIGHT },
  margin: CHART_MARGIN,
  syncId: SYNC_ID,
};

/** A chart with its title and a description for screen readers, who get the same data as a table. */
function ChartCard({
  title,
  description,
  children,
}: {
  title: string;
  description: string;
  children: ReactNode;
}) {
  return (
    <figure className="m-0 flex min-w-0 flex-col gap-3 rounded-lg border border-border bg-surface p-4 shadow-sm">
      <figcaption className="flex flex-col gap-0.5">
        <span className="text-sm font-semibold text-text">{title}</span>
        <span className="text-xs text-text-muted">{description}</span>
      </figcaption>
      <div className="text-text-muted">{children}</div>
    </figure>
  );
}

function timeAxis(analytics: UsageAnalytics) {
  const rangeMs = analytics.to.getTime() - analytics.from.getTime();
  return (
    <XAxis
      dataKey="start"
      type="category"
      tickFormatter={(start: number) => formatTick(start, analytics.bucket, rangeMs)}
      tick={{ fill: "currentColor", fontSize: 12 }}
      stroke="currentColor"
      minTickGap={24}
      label={{
        value: "Time (UTC)",
        position: "insideBottom",
        offset: -16,
        fill: "currentColor",
        fontSize: 12,
      }}
    />
  );
}

function valueAxis(label: string, format: (value: number) => string = formatCompact) {
  return (
    <YAxis
      tickFormatter={format}
      tick={{ fill: "currentColor", fontSize: 12 }}
      stroke="currentColor"
      width={64}
      label={{
        value: label,
        angle: -90,
        position: "insideLeft",
        offset: 0,
        fill: "currentColor",
        fontSize: 12,
        dy: 40,
      }}
    />
  );
}

const grid = <CartesianGrid stroke="currentColor" strokeOpacity={0.15} vertical={false} />;

/** The tooltip: the bucket, then each series with its value in the chart's unit. */
function tooltip(analytics: UsageAnalytics, format: (value: number) => string) {
  return (
    <Tooltip
      content={({ active, payload, label }) => (
        <UsageTooltip
          active={active}
          payload={payload}
          label={label}
          bucket={analytics.bucket}
          format={format}
        />
      )}
    />
  );
}

function UsageTooltip({
  active,
  payload,
  label,
  bucket,
  format,
}: {
  active: boolean | undefined;
  payload: TooltipContentProps<ValueType, NameType>["payload"] | undefined;
  label: string | number | undefined;
  bucket: UsageAnalytics["bucket"];
  format: (value: number) => string;
}) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-border bg-surface px-3 py-2 text-xs text-text shadow-[var(--shadow-popover)]">
      <p className="mb-1 font-semibold">{formatBucket(Number(label), bucket)} UTC</p>
      <ul className="m-0 flex list-none flex-col gap-0.5 p-0">
        {payload.map((entry) => (
          <li key={String(entry.dataKey)} className="flex items-center gap-2">
            <span
              aria-hidden="true"
              className="inline-block size-2.5 rounded-sm"
              style={{ background: entry.color }}
            />
            <span className="text-text-muted">{entry.name}</span>
            <span className="ml-auto pl-3 font-medium tabular-nums">
              {typeof entry.value === "number" ? format(entry.value) : "—"}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

const legend = <Legend verticalAlign="top" height={28} iconType="square" wrapperStyle={{ fontSize: 12 }} />;

function StackedBars({
  analytics,
  rows,
  format,
  yLabel,
  axisFormat = formatCompact,
}: {
  analytics: UsageAnalytics;
  rows: ChartRow[];
  /** the tooltip's numbers */
  format: (value: number) => string;
  yLabel: string;
  axisFormat?: (value: number) => string;
}) {
  const series = usageSeries(analytics);
  return (
    <BarChart {...CHART_FRAME} data={rows}>
      {grid}
      {timeAxis(analytics)}
      {valueAxis(yLabel, axisFormat)}
      {tooltip(analytics, format)}
      {series.length > 1 ? legend : null}
      {series.map((one, index) => (
        <Bar
          key={one.dataKey}
          dataKey={one.dataKey}
          name={one.label}
          stackId="groups"
          fill={seriesColor(one, index)}
          isAnimationActive={false}
        />
      ))}
    </BarChart>
  );
}

/** One figure per bucket, stacked by group, in its own card. */
function StackedFigureChart({
  analytics,
  figure,
  title,
  description,
  yLabel,
  format = formatCount,
  axisFormat,
}: {
  analytics: UsageAnalytics;
  figure: SummedFigure;
  title: string;
  description: string;
  yLabel: string;
  format?: (value: number) => string;
  axisFormat?: (value: number) => string;
}) {
  return (
    <ChartCard title={title} description={description}>
      <StackedBars
        analytics={analytics}
        rows={stackedRows(analytics, figure)}
        format={format}
        axisFormat={axisFormat}
        yLabel={yLabel}
      />
    </ChartCard>
  );
}

export function TokensChart({ analytics }: { analytics: UsageAnalytics }) {
  return (
    <ChartCard title="Tokens" description="Prompt and completion tokens per bucket, all groups together.">
      <BarChart {...CHART_FRAME} data={summedRows(analytics)}>
        {grid}
        {timeAxis(analytics)}
        {valueAxis("Tokens")}
        {tooltip(analytics, formatCount)}
        {legend}
        <Bar
          dataKey="promptTokens"
          name="Prompt"
          stackId="tokens"
          fill={SERIES_COLORS[0]}
          isAnimationActive={false}
        />
        <Bar
          dataKey="completionTokens"
          name="Completion"
          stackId="tokens"
          fill={SERIES_COLORS[1]}
          isAnimationActive={false}
        />
      </BarChart>
    </ChartCard>
  );
}

export function LatencyChart({ analytics }: { analytics: UsageAnalytics }) {
  const { rows, isByGroup } = latencyRows(analytics);
  const series = usageSeries(analytics);
  const lines = isByGroup
    ? series.map((one, index) => ({ dataKey: one.dataKey, name: one.label, color: seriesColor(one, index) }))
    : [
        { dataKey: "latencyP50Ms", name: "p50", color: SERIES_COLORS[0] },
        { dataKey: "latencyP95Ms", name: "p95", color: SERIES_COLORS[5] },
      ];
  return (
    <ChartCard
      title={isByGroup ? "Latency p95 by group" : "Latency p50 and p95"}
      description={
        isByGroup
          ? "The 95th percentile of each group's response times (percentiles of groups cannot be added up)."
          : "Half of the requests answered within p50, 95 in 100 within p95."
      }
    >
      <LineChart {...CHART_FRAME} data={rows}>
        {grid}
        {timeAxis(analytics)}
        {valueAxis("Milliseconds")}
        {tooltip(analytics, formatLatency)}
        {legend}
        {lines.map((line) => (
          <Line
            key={line.dataKey}
            dataKey={line.dataKey}
            name={line.name}
            stroke={line.color}
            strokeWidth={2}
            dot={rows.length <= 48}
            connectNulls={false}
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ChartCard>
  );
}

/** Every chart of the page, two by two on wide screens. */
export function UsageCharts({ analytics }: { analytics: UsageAnalytics }) {
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <StackedFigureChart
        analytics={analytics}
        figure="requests"
        title="Requests"
        description="Requests per bucket, stacked by group."
        yLabel="Requests"
      />
      <StackedFigureChart
        analytics={analytics}
        figure="errors"
        title="Errors"
        description="Responses with a status of 400 or more, stacked by group."
        yLabel="Errors"
      />
      <TokensChart analytics={analytics} />
      <LatencyChart analytics={analytics} />
      <StackedFigureChart
        analytics={analytics}
        figure="spendUsd"
        title="Spend"
        description="Model prices times tokens, in US dollars, stacked by group."
        yLabel="Spend (USD)"
        format={formatUsd}
        axisFormat={formatUsd}
      />
    </div>
  );
}
