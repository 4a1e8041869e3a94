"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../trpc/client.tsx";
import { formatNumber } from "../format.ts";
import { Figure, QueryCard } from "./card-states.tsx";

const REFRESH_MS = 60_000;

/** Open erasures, and those past or near their 72-hour deadline, each with a link to the list. */
export function DeletionsCard() {
  const trpc = useTRPC();
  const deadlines = useQuery(
    trpc.deletionRequests.deadlines.queryOptions(undefined, { refetchInterval: REFRESH_MS }),
  );
  return (
    <QueryCard
      title="Deletion requests"
      description="Erasures not yet completed. Each is promised within 72 hours of its request."
      query={deadlines}
      loadingLabel="Loading deletion requests"
    >
      {(data) =>
        data.open === 0 ? (
          <p className="text-sm text-text-muted">
            No deletion request is open. Every erasure requested has been completed.
          </p>
        ) : (
          <div className="flex flex-col gap-4">
            <div className="grid grid-cols-2 gap-4">
              <Figure label="Open" value={formatNumber(data.open)} />
              <Figure
                label="Overdue"
                value={formatNumber(data.overdue)}
                tone={data.overdue > 0 ? "text-danger" : "text-text"}
                detail={
                  data.nearDeadline > 0 ? `${formatNumber(data.nearDeadline)} due within 12 hours.` : null
                }
              />
            </div>
            <ul className="flex flex-col gap-1 text-sm">
              {data.overdue + data.nearDeadline > 0 ? (
                <li>
                  <Link href="/deletion-requests?status=AT_RISK">Review the overdue and near ones</Link>
                </li>
              ) : null}
              {data.needsAttention > 0 ? (
                <li>
                  <Link href="/deletion-requests?status=NEEDS_ATTENTION">
                    {formatNumber(data.needsAttention)} out of attempts, waiting for a compliance officer
                  </Link>
                </li>
              ) : null}
              {data.onHold > 0 ? (
                <li>
                  <Link href="/deletion-requests?status=ON_HOLD">
                    {formatNumber(data.onHold)} held by a legal hold
                  </Link>
                </li>
              ) : null}
              <li>
                <Link href="/deletion-requests">All deletion requests</Link>
              </li>
            </ul>
          </div>
        )
      }
    </QueryCard>
  );
}
