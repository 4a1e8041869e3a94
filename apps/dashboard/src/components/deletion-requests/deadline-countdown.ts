import { NEAR_DEADLINE_HOURS } from "@dsc/trpc/schemas";

const MINUTE_MS = 60_000;
const NEAR_MS = NEAR_DEADLINE_HOURS * 3_600_000;

/** The statuses whose 72-hour deadline still binds, as core's OPEN_DELETION_STATUSES. */
const OPEN_STATUSES = new Set(["PENDING", "PROCESSING", "FAILED", "NEEDS_ATTENTION"]);

export interface DeadlineCountdown {
  /** "31 h 12 min left", "Overdue by 2 h 5 min" */
  text: string;
  risk: "overdue" | "near_deadline" | null;
}

/** "31 h 12 min", "45 min", "less than a minute": whole minutes, hours past the first. */
export function describeDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / MINUTE_MS);
  if (minutes === 0) return "less than a minute";
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours === 0) return `${rest} min`;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}

/**
 * How long an unfinished request has until its deadline, or how far past it it is; null for a
 * finished or held request, whose deadline no longer counts down.
 */
export function deadlineCountdown(
  request: { status: string; dueAt: Date },
  now: Date,
): DeadlineCountdown | null {
  if (!OPEN_STATUSES.has(request.status)) return null;
  const left = request.dueAt.getTime() - now.getTime();
  if (left <= 0) return { text: `Overdue by ${describeDuration(left)}`, risk: "overdue" };
  return { text: `${describeDuration(left)} left`, risk: left <= NEAR_MS ? "near_deadline" : null };
}
