import { Section } from "../ui/page-header.tsx";
import { TBody, TD, TH, THead, TR } from "../ui/table.tsx";
import { errorRate, OTHER_GROUP_KEY, type UsageAnalytics } from "./usage-data.ts";
import { formatCount, formatLatency, formatPercent, formatUsd } from "./usage-format.ts";
import { GROUPING_LABELS, GROUPING_NOUNS, type UsageGroupBy } from "./usage-view.ts";

/** Each group's totals over the range: the ten with the most requests, then the rest together. */
export function GroupTotalsTable({
  analytics,
  groupBy,
}: {
  analytics: UsageAnalytics;
  groupBy: UsageGroupBy;
}) {
  const hasOther = analytics.groups.some((group) => group.key === OTHER_GROUP_KEY);
  return (
    <Section
      title={`Totals by ${GROUPING_NOUNS[groupBy]}`}
      description={
        hasOther
          ? `The ten with the most requests in this range; "Other" sums the rest.`
          : "Each one's totals over this range, the most requests first."
      }
    >
      <div className="overflow-x-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Totals by {GROUPING_NOUNS[groupBy]}</caption>
          <THead>
            <TR>
              <TH>{GROUPING_LABELS[groupBy]}</TH>
              <TH className="text-right">Requests</TH>
              <TH className="text-right">Error rate</TH>
              <TH className="text-right">Tokens</TH>
              <TH className="text-right">p95</TH>
              <TH className="text-right">Spend</TH>
            </TR>
          </THead>
          <TBody>
            {analytics.groups.map((group) => (
              <TR key={group.key}>
                <th scope="row" className="max-w-56 px-4 py-3 text-left font-normal break-all text-text">
                  {group.label}
                </th>
                <TD className="text-right tabular-nums">{formatCount(group.totals.requests)}</TD>
                <TD className="text-right tabular-nums">{formatPercent(errorRate(group.totals))}</TD>
                <TD className="text-right tabular-nums">
                  {formatCount(group.totals.promptTokens + group.totals.completionTokens)}
                </TD>
                <TD className="text-right tabular-nums">{formatLatency(group.totals.latencyP95Ms)}</TD>
                <TD className="text-right tabular-nums">{formatUsd(group.totals.spendUsd)}</TD>
              </TR>
            ))}
          </TBody>
        </table>
      </div>
    </Section>
  );
}
