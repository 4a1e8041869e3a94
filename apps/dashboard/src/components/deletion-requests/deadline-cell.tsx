"use client";

import { formatDateTime } from "../format.ts";
import { Badge } from "../ui/badge.tsx";
import { type DeadlineCountdown, deadlineCountdown } from "./deadline-countdown.ts";
import { useNow } from "./use-now.ts";

/**
 * A request's deadline and a live countdown to it; near (under 12 h) and overdue ones are
 * flagged by a badge that says so in words as well as by its colour.
 */
export function DeadlineCell({ status, dueAt }: { status: string; dueAt: Date }) {
  const countdown = deadlineCountdown({ status, dueAt }, useNow());
  return (
    <div className="flex flex-col items-start gap-1">
      <span className="whitespace-nowrap">{formatDateTime(dueAt)}</span>
      {countdown ? <CountdownLine countdown={countdown} /> : null}
    </div>
  );
}

/** Only the live countdown (nothing once the request is finished or held). */
export function LiveCountdown({ status, dueAt }: { status: string; dueAt: Date }) {
  const countdown = deadlineCountdown({ status, dueAt }, useNow());
  return countdown ? <CountdownLine countdown={countdown} /> : null;
}

function CountdownLine({ countdown }: { countdown: DeadlineCountdown }) {
  if (countdown.risk === "overdue") {
    return (
      <span className="flex items-center gap-1.5">
        <Badge tone="danger">Overdue</Badge>
        <span className="text-xs font-medium whitespace-nowrap text-danger">{countdown.text}</span>
      </span>
    );
  }
  if (countdown.risk === "near_deadline") {
    return (
      <span className="flex items-center gap-1.5">
        <Badge tone="warning">Due soon</Badge>
        <span className="text-xs font-medium whitespace-nowrap text-warning">{countdown.text}</span>
      </span>
    );
  }
  return <span className="text-xs whitespace-nowrap text-text-muted">{countdown.text}</span>;
}

/** The row's background for its deadline, so overdue and near ones stand out in a long list. */
export function useDeadlineRowTone(status: string, dueAt: Date): string | undefined {
  const risk = deadlineCountdown({ status, dueAt }, useNow())?.risk;
  if (risk === "overdue") return "bg-danger-soft/50";
  if (risk === "near_deadline") return "bg-warning-soft/40";
  return undefined;
}
