import { type DeletionRequestFilter, NEAR_DEADLINE_HOURS } from "@dsc/trpc/schemas";
import { Badge, type BadgeTone } from "../ui/badge.tsx";

type DeletionStatus = Exclude<DeletionRequestFilter, "AT_RISK">;

const STATUS_LOOK: Record<DeletionStatus, { label: string; tone: BadgeTone }> = {
  PENDING: { label: "Pending", tone: "neutral" },
  PROCESSING: { label: "Processing", tone: "accent" },
  // the worker retries a failed request after a growing delay
  FAILED: { label: "Failed, retrying", tone: "danger" },
  // out of attempts: waits for a compliance officer to retry it
  NEEDS_ATTENTION: { label: "Needs attention", tone: "danger" },
  // the organization's legal hold keeps its data until lifted or overridden
  ON_HOLD: { label: "On legal hold", tone: "neutral" },
  COMPLETED: { label: "Completed", tone: "success" },
};

/** Each status's name as its badge shows it. */
export const DELETION_STATUS_LABELS = Object.fromEntries(
  Object.entries(STATUS_LOOK).map(([status, look]) => [status, look.label]),
) as Record<DeletionStatus, string>;

export function DeletionStatusBadge({ status }: { status: string }) {
  const look = STATUS_LOOK[status as DeletionStatus] ?? { label: status, tone: "neutral" as const };
  return <Badge tone={look.tone}>{look.label}</Badge>;
}

/** The deadline flag: past the 72-hour deadline, or close to it; nothing otherwise. */
export function DeadlineBadge({ risk }: { risk: "overdue" | "near_deadline" | null }) {
  if (risk === "overdue") return <Badge tone="danger">Overdue</Badge>;
  if (risk === "near_deadline") return <Badge tone="warning">Due in &lt; {NEAR_DEADLINE_HOURS} h</Badge>;
  return null;
}

export const SUBJECT_LABELS: Record<string, string> = {
  END_USER: "End user",
  ORGANIZATION: "Organization",
  ACCOUNT: "Dashboard account",
};
