import { errorRate, type UsageFigures } from "./usage-data.ts";
import { formatCount, formatLatency, formatPercent, formatUsd } from "./usage-format.ts";

/** The range's totals, above the charts. */
export function UsageFigureList({ totals }: { totals: UsageFigures }) {
  const figures: { label: string; value: string; detail?: string }[] = [
    { label: "Requests", value: formatCount(totals.requests) },
    {
      label: "Error rate",
      value: formatPercent(errorRate(totals)),
      detail: `${formatCount(totals.errors)} errors`,
    },
    {
      label: "Cache hit rate",
      value: formatPercent(totals.cacheHitRate),
      detail: `${counted(totals.cacheHits, "answer", "answers")} from the cache`,
    },
    {
      label: "Latency p50 / p95",
      value: `${formatLatency(totals.latencyP50Ms)} / ${formatLatency(totals.latencyP95Ms)}`,
    },
    { label: "Spend", value: formatUsd(totals.spendUsd) },
    {
      label: "Tokens",
      value: formatCount(totals.promptTokens + totals.completionTokens),
      detail: `${formatCount(totals.promptTokens)} prompt, ${formatCount(totals.completionTokens)} completion`,
    },
  ];
  return (
    <dl aria-label="Totals of the range" className="m-0 grid grid-cols-2 gap-3 md:grid-cols-3 xl:grid-cols-6">
      {figures.map((figure) => (
        <div
          key={figure.label}
          className="flex flex-col gap-0.5 rounded-lg border border-border bg-surface px-4 py-3 shadow-sm"
        >
          <dt className="text-xs text-text-muted">{figure.label}</dt>
          <dd className="m-0 text-lg font-semibold text-text tabular-nums">{figure.value}</dd>
          {figure.detail ? <dd className="m-0 text-xs text-text-muted">{figure.detail}</dd> : null}
        </div>
      ))}
    </dl>
  );
}

function counted(count: number, one: string, many: string): string {
  return `${formatCount(count)} ${count === 1 ? one : many}`;
}
