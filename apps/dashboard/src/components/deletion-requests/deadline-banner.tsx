"use client";

import { NEAR_DEADLINE_HOURS } from "@dsc/trpc/schemas";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../trpc/client.tsx";
import { cx } from "../ui/cx.ts";
import { AlertIcon } from "../ui/icons.tsx";

/** how often an open console asks again, so a request that turns overdue shows without a reload */
const REFRESH_MS = 60_000;

/**
 * The console-wide flag of the deletion-deadline alert: shown on every page to the people who
 * handle erasures while any request is overdue or due within 12 hours. Says nothing when the
 * count cannot be loaded; the Deletion requests page shows that error.
 */
export function DeadlineBanner() {
  const trpc = useTRPC();
  const { data } = useQuery(
    trpc.deletionRequests.deadlines.queryOptions(undefined, { refetchInterval: REFRESH_MS }),
  );
  if (!data || data.overdue + data.nearDeadline === 0) return null;
  const parts = [
    data.overdue > 0
      ? `${plural(data.overdue, "deletion request is", "deletion requests are")} overdue`
      : null,
    data.nearDeadline > 0
      ? `${plural(data.nearDeadline, "deletion request is", "deletion requests are")} due within ${NEAR_DEADLINE_HOURS} hours`
      : null,
  ].filter(Boolean);
  return (
    <div
      role="alert"
      className={cx(
        "mb-6 flex flex-wrap items-center gap-3 rounded-lg border px-4 py-3 text-sm",
        data.overdue > 0
          ? "border-danger/40 bg-danger-soft text-danger"
          : "border-warning/40 bg-warning-soft text-warning",
      )}
    >
      <AlertIcon className="size-5 shrink-0" />
      <p className="min-w-0 flex-1 font-medium">{parts.join("; ")}. Erasures are promised within 72 hours.</p>
      <Link href="/deletion-requests?status=AT_RISK" className="font-semibold text-current underline">
        Review them
      </Link>
    </div>
  );
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}
