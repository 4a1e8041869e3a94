"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "../../trpc/client.tsx";
import { formatNumber } from "../format.ts";
import { Figure, QueryCard } from "./card-states.tsx";
import { FirstRequest } from "./first-request.tsx";
import { HourlySparkline } from "./hourly-sparkline.tsx";
import { errorRateTrend, formatRate, requestTrend } from "./overview-figures.ts";

const REFRESH_MS = 60_000;

/** Requests and the error rate today against the same hours yesterday, with today hour by hour. */
export function TrafficCard({ isAdmin, gatewayUrl }: { isAdmin: boolean; gatewayUrl: string }) {
  const trpc = useTRPC();
  const traffic = useQuery(trpc.overview.traffic.queryOptions(undefined, { refetchInterval: REFRESH_MS }));
  return (
    <QueryCard
      title="Requests today"
      description={
        isAdmin
          ? "Every organization's API requests since midnight UTC, against the same hours yesterday."
          : "Your organization's API requests since midnight UTC, against the same hours yesterday."
      }
      actions={
        <Link href="/usage" className="text-sm font-medium">
          Open usage
        </Link>
      }
      query={traffic}
      loadingLabel="Loading today's requests"
    >
      {(data) => {
        if (data.today.requests === 0 && data.sameHoursYesterday.requests === 0) {
          return <FirstRequest isAdmin={isAdmin} gatewayUrl={gatewayUrl} />;
        }
        const trend = requestTrend(data.today.requests, data.sameHoursYesterday.requests);
        const errorsUp =
          data.today.errorRate !== null &&
          data.sameHoursYesterday.errorRate !== null &&
          data.today.errorRate > data.sameHoursYesterday.errorRate;
        return (
          <div className="flex flex-col gap-6">
            <div className="grid gap-6 sm:grid-cols-2">
              <Figure
                label="Requests"
                value={formatNumber(data.today.requests)}
                detail={
                  <span data-trend={trend.direction}>
                    {trend.direction === "up" ? "▲ " : trend.direction === "down" ? "▼ " : ""}
                    {trend.sentence}
                  </span>
                }
              />
              <Figure
                label="Error rate (status 400 and above)"
                value={formatRate(data.today.errorRate)}
                tone={errorsUp ? "text-danger" : "text-text"}
                detail={`${formatNumber(data.today.errors)} errors. ${errorRateTrend(
                  data.today.errorRate,
                  data.sameHoursYesterday.errorRate,
                )}`}
              />
            </div>
            <HourlySparkline hours={data.hours} />
          </div>
        );
      }}
    </QueryCard>
  );
}
