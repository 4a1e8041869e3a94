"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../trpc/client.tsx";
import { errorMessage } from "../../trpc/errors.ts";
import { Section } from "../ui/page-header.tsx";
import { ErrorState, Skeleton } from "../ui/states.tsx";
import { TBody, TD, TH, THead, TR } from "../ui/table.tsx";
import { formatCount, formatPercent } from "./usage-format.ts";

// tokens and requests are counted live; a minute's count is stale after a few seconds
const QUOTA_REFRESH_MS = 15_000;

/** One organization's use of its tier's limits: this month's tokens, this minute's requests, and per key. */
export function QuotaPanel({ organizationId }: { organizationId: string }) {
  const trpc = useTRPC();
  const quota = useQuery(
    trpc.usage.quota.queryOptions({ organizationId }, { refetchInterval: QUOTA_REFRESH_MS }),
  );
  return (
    <Section
      title="Quota"
      description={
        quota.data
          ? `What the organization used of the ${quota.data.tier.name} tier's limits. Every key counts towards the organization's limits.`
          : "What the organization used of its tier's limits."
      }
    >
      {quota.isPending ? (
        <div role="status" aria-live="polite" className="flex flex-col gap-3">
          <span className="sr-only">Loading the quota…</span>
          <Skeleton className="h-4 w-64" />
          <Skeleton className="h-2.5 w-full" />
          <Skeleton className="h-4 w-64" />
          <Skeleton className="h-2.5 w-full" />
        </div>
      ) : quota.isError ? (
        <ErrorState
          title="The quota could not be loaded"
          message={errorMessage(quota.error)}
          onRetry={() => quota.refetch()}
        />
      ) : (
        <div className="flex flex-col gap-5">
          <div className="grid gap-5 md:grid-cols-2">
            <QuotaMeter
              label="Tokens this month"
              used={quota.data.organization.tokensThisMonth}
              limit={quota.data.tier.monthlyTokenQuota}
              noLimit="No monthly token quota"
            />
            <QuotaMeter
              label="Requests this minute"
              used={quota.data.organization.requestsThisMinute}
              limit={quota.data.tier.requestsPerMinute}
              noLimit="No limit per minute"
            />
          </div>
          {quota.data.keys.length === 0 ? (
            <p className="text-sm text-text-muted">The organization has no active API key.</p>
          ) : (
            <KeyQuotaTable keys={quota.data.keys} tier={quota.data.tier} />
          )}
        </div>
      )}
    </Section>
  );
}

function QuotaMeter({
  label,
  used,
  limit,
  noLimit,
}: {
  label: string;
  used: number;
  limit: number | null;
  noLimit: string;
}) {
  const share = shareOf(used, limit) ?? 0;
  const tone = share >= 1 ? "bg-danger" : share >= 0.8 ? "bg-warning" : "bg-accent";
  return (
    <div className="flex flex-col gap-1.5">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <span className="text-sm font-medium text-text">{label}</span>
        <span className="text-sm text-text-muted tabular-nums">
          {limit === null ? (
            <>
              {formatCount(used)} · {noLimit}
            </>
          ) : (
            <>
              {formatCount(used)} of {formatCount(limit)} ({formatShare(used, limit)})
            </>
          )}
        </span>
      </div>
      {limit === null ? null : (
        <div
          role="progressbar"
          aria-label={label}
          aria-valuemin={0}
          aria-valuemax={limit}
          aria-valuenow={Math.min(used, limit)}
          aria-valuetext={`${formatCount(used)} of ${formatCount(limit)}`}
          className="h-2.5 overflow-hidden rounded-full bg-surface-muted"
        >
          <div className={`h-full ${tone}`} style={{ width: `${Math.min(share, 1) * 100}%` }} />
        </div>
      )}
    </div>
  );
}

function KeyQuotaTable({
  keys,
  tier,
}: {
  keys: ReadonlyArray<{ id: string; name: string; tokensThisMonth: number; requestsThisMinute: number }>;
  tier: { monthlyTokenQuota: number | null; requestsPerMinute: number };
}) {
  return (
    <div className="overflow-x-auto rounded-lg border border-border">
      <table className="w-full border-collapse text-sm">
        <caption className="px-4 py-3 text-left text-sm font-semibold text-text">
          Quota used per API key
          <span className="ml-2 font-normal text-text-muted">(active keys, the most used first)</span>
        </caption>
        <THead>
          <TR>
            <TH>Key</TH>
            <TH className="text-right">Tokens this month</TH>
            <TH className="text-right">Share of the monthly quota</TH>
            <TH className="text-right">Requests this minute</TH>
            <TH className="text-right">Share of the limit per minute</TH>
          </TR>
        </THead>
        <TBody>
          {keys.map((key) => (
            <TR key={key.id}>
              <th scope="row" className="px-4 py-3 text-left font-normal text-text">
                <span className="font-medium">{key.name}</span>{" "}
                <code className="text-xs text-text-muted">{key.id}</code>
              </th>
              <TD className="text-right tabular-nums">{formatCount(key.tokensThisMonth)}</TD>
              <TD className="text-right tabular-nums">
                {tier.monthlyTokenQuota === null
                  ? "No quota"
                  : formatShare(key.tokensThisMonth, tier.monthlyTokenQuota)}
              </TD>
              <TD className="text-right tabular-nums">{formatCount(key.requestsThisMinute)}</TD>
              <TD className="text-right tabular-nums">
                {formatShare(key.requestsThisMinute, tier.requestsPerMinute)}
              </TD>
            </TR>
          ))}
        </TBody>
      </table>
    </div>
  );
}

/** used ÷ limit, or null when there is no limit to measure against (none, or zero) */
function shareOf(used: number, limit: number | null): number | null {
  return limit ? used / limit : null;
}

function formatShare(used: number, limit: number | null): string {
  const share = shareOf(used, limit);
  return share === null ? "—" : formatPercent(share);
}
