import type { AppRouter } from "@dsc/trpc";
import type { inferRouterOutputs } from "@trpc/server";

type Outputs = inferRouterOutputs<AppRouter>["overview"];
export type TrafficToday = Outputs["traffic"];
export type TrafficHour = TrafficToday["hours"][number];
export type GatewayHealth = NonNullable<Outputs["gatewayHealth"]>;
export type ReachableGatewayHealth = Extract<GatewayHealth, { isReachable: true }>;
export type QuotaUse = Outputs["quota"][number];

export interface Trend {
  direction: "up" | "down" | "same" | "new";
  /** the sentence beside the figure, e.g. "12% more than the same hours yesterday" */
  sentence: string;
}

/** Today's requests against the same hours yesterday, as people say it. */
export function requestTrend(today: number, yesterday: number): Trend {
  if (yesterday === 0) {
    return today === 0
      ? { direction: "same", sentence: "None in the same hours yesterday either." }
      : { direction: "new", sentence: "None in the same hours yesterday." };
  }
  const change = Math.round(((today - yesterday) / yesterday) * 100);
  if (change === 0) return { direction: "same", sentence: "As many as in the same hours yesterday." };
  return {
    direction: change > 0 ? "up" : "down",
    sentence: `${Math.abs(change)}% ${change > 0 ? "more" : "fewer"} than the same hours yesterday (${yesterday.toLocaleString("en")}).`,
  };
}

/** "2.5%", "0%", "—" without requests; small rates keep a decimal so that 0.4% is not 0%. */
export function formatRate(rate: number | null): string {
  if (rate === null) return "—";
  const percent = rate * 100;
  if (percent === 0 || percent >= 10) return `${Math.round(percent)}%`;
  return `${percent.toFixed(1)}%`;
}

/** The error rate against yesterday's, in points, as a sentence. */
export function errorRateTrend(today: number | null, yesterday: number | null): string {
  if (today === null) return "No requests today yet.";
  if (yesterday === null) return "No requests in the same hours yesterday to compare with.";
  const points = (today - yesterday) * 100;
  if (Math.abs(points) < 0.05) return "The same as in the same hours yesterday.";
  return `${Math.abs(points).toFixed(1)} points ${points > 0 ? "higher" : "lower"} than in the same hours yesterday (${formatRate(yesterday)}).`;
}

/** The bar heights (0..1) of the hourly chart, against the largest hour of either day. */
export function sparklineScale(hours: readonly TrafficHour[]): { today: number[]; yesterday: number[] } {
  const largest = Math.max(1, ...hours.map((hour) => Math.max(hour.requests, hour.requestsYesterday)));
  return {
    today: hours.map((hour) => hour.requests / largest),
    yesterday: hours.map((hour) => hour.requestsYesterday / largest),
  };
}

/** "00:00" from an hour's start, in UTC like the day it belongs to. */
export function hourLabel(start: Date): string {
  return `${String(start.getUTCHours()).padStart(2, "0")}:00`;
}

const CHECK_NAMES: Record<string, string> = {
  database: "Database",
  master_key: "Master key",
  accepting: "Accepting requests",
};

/** A readiness check's name for people: `master_key_v2` → "Master key version 2". */
export function checkLabel(name: string): string {
  const version = /^master_key_v(\d+)$/.exec(name);
  if (version) return `Master key version ${version[1]}`;
  return CHECK_NAMES[name] ?? name.replaceAll("_", " ");
}

/** Why the gateway's gauges are missing, and what to do about it. */
export function metricsProblemSentence(problem: ReachableGatewayHealth["metricsProblem"]): string | null {
  switch (problem) {
    case null:
      return null;
    case "no_token":
      return "Metrics unavailable (no token): set METRICS_TOKEN (the gateway's value) and GATEWAY_URL for the dashboard to see the limiter and event-loop figures. The token is sent only to the address GATEWAY_URL names.";
    case "not_enabled":
      return "The gateway serves no metrics: set METRICS_TOKEN for the gateway and for the dashboard.";
    case "refused":
      return "The gateway refused the dashboard's metrics token: give both the same METRICS_TOKEN.";
    case "unavailable":
      return "The gateway's metrics did not arrive in time; they are tried again in a few seconds.";
  }
}

/** Why the gateway could not be read, as a sentence. */
export function unreachableSentence(
  problem: Extract<GatewayHealth, { isReachable: false }>["problem"],
): string {
  switch (problem) {
    case "timeout":
      return "It did not answer within 2 seconds.";
    case "unreachable":
      return "Nothing answered at its address. Check that it runs, and GATEWAY_URL if the dashboard reaches it elsewhere.";
    case "bad_answer":
      return "Something answered at its address, but not with the gateway's readiness. Check GATEWAY_URL.";
  }
}

/** Milliseconds as shown: "0.4 ms", "12 ms", "—" when the gateway did not say. */
export function formatMilliseconds(value: number | null): string {
  if (value === null) return "—";
  return value < 10 ? `${value.toFixed(1)} ms` : `${Math.round(value).toLocaleString("en")} ms`;
}

/** How near a quota is, for the bar's colour. */
export function quotaTone(share: number | null): "accent" | "warning" | "danger" {
  if (share !== null && share >= 1) return "danger";
  if (share !== null && share >= 0.8) return "warning";
  return "accent";
}
