"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../trpc/client.tsx";
import { formatNumber } from "../format.ts";
import { cx } from "../ui/cx.ts";
import { QueryCard } from "./card-states.tsx";
import { formatRate, type QuotaUse, quotaTone } from "./overview-figures.ts";

const BAR_TONES = { accent: "bg-accent", warning: "bg-warning", danger: "bg-danger" } as const;

/** Tokens this month against the tier's quota: the developer's organization, or the five nearest theirs. */
export function QuotaCard({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const quota = useQuery(trpc.overview.quota.queryOptions());
  return (
    <QueryCard
      title="Tokens this month"
      description={
        isAdmin
          ? "The organizations that have used the largest share of their tier's monthly token quota (UTC month)."
          : "Your organization's prompt and completion tokens this month (UTC) against its tier's quota."
      }
      query={quota}
      loadingLabel="Loading tokens against quota"
    >
      {(rows) =>
        rows.length === 0 ? (
          <p className="text-sm text-text-muted">
            No organization with a monthly quota has used tokens this month.
          </p>
        ) : (
          <ul className="flex flex-col gap-4" aria-label="Tokens against quota">
            {rows.map((row) => (
              <QuotaRow key={row.organizationId} row={row} isAdmin={isAdmin} />
            ))}
          </ul>
        )
      }
    </QueryCard>
  );
}

function QuotaRow({ row, isAdmin }: { row: QuotaUse; isAdmin: boolean }) {
  const tone = quotaTone(row.share);
  return (
    <li className="flex flex-col gap-1.5">
      <div className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        {isAdmin ? (
          <Link href={`/organizations/${row.organizationId}`} className="font-medium">
            {row.name}
          </Link>
        ) : (
          <span className="font-medium text-text">{row.tierName} tier</span>
        )}
        <span className="text-text-muted tabular-nums">
          {formatNumber(row.tokensThisMonth)}
          {row.monthlyTokenQuota === null
            ? " tokens · no monthly quota"
            : ` of ${formatNumber(row.monthlyTokenQuota)} (${formatRate(row.share)})`}
        </span>
      </div>
      {row.share !== null ? (
        // the figures beside it say the same in words
        <div aria-hidden="true" className="h-2 overflow-hidden rounded-full bg-surface-muted">
          <div
            className={cx("h-full rounded-full", BAR_TONES[tone])}
            style={{ width: `${Math.min(row.share, 1) * 100}%` }}
          />
        </div>
      ) : null}
    </li>
  );
}
