"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../trpc/client.tsx";

/** as the deadline banner, whose query this shares */
const REFRESH_MS = 60_000;

/**
 * The number of overdue deletion requests, beside "Deletion requests" in the navigation;
 * nothing while none is overdue (or while the count cannot be loaded).
 */
export function OverdueNavCount() {
  const trpc = useTRPC();
  const { data } = useQuery(
    trpc.deletionRequests.deadlines.queryOptions(undefined, { refetchInterval: REFRESH_MS }),
  );
  if (!data || data.overdue === 0) return null;
  return (
    <span
      className="ml-auto rounded-full bg-danger px-1.5 py-0.5 text-xs leading-none font-semibold text-white tabular-nums dark:text-page"
      title={`${data.overdue} overdue`}
    >
      {data.overdue}
      <span className="sr-only"> overdue</span>
    </span>
  );
}
