import { describe, expect, it } from "vitest";
import { deadlineCountdown, describeDuration } from "./deadline-countdown.ts";

const now = new Date("2026-12-02T12:00:00Z");
const inMinutes = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

describe("deadlineCountdown", () => {
  it("counts down in hours and minutes, near the deadline within 12 hours", () => {
    expect(deadlineCountdown({ status: "PENDING", dueAt: inMinutes(31 * 60 + 12) }, now)).toEqual({
      text: "31 h 12 min left",
      risk: null,
    });
    expect(deadlineCountdown({ status: "FAILED", dueAt: inMinutes(11 * 60 + 59) }, now)).toEqual({
      text: "11 h 59 min left",
      risk: "near_deadline",
    });
    expect(deadlineCountdown({ status: "PROCESSING", dueAt: inMinutes(12 * 60) }, now)?.risk).toBe(
      "near_deadline",
    );
    expect(deadlineCountdown({ status: "PENDING", dueAt: new Date(now.getTime() + 30_000) }, now)).toEqual({
      text: "less than a minute left",
      risk: "near_deadline",
    });
  });

  it("says how far past its deadline an unfinished request is", () => {
    expect(deadlineCountdown({ status: "NEEDS_ATTENTION", dueAt: inMinutes(-125) }, now)).toEqual({
      text: "Overdue by 2 h 5 min",
      risk: "overdue",
    });
    expect(deadlineCountdown({ status: "PENDING", dueAt: now }, now)?.risk).toBe("overdue");
  });

  it("says nothing for finished or held requests", () => {
    expect(deadlineCountdown({ status: "COMPLETED", dueAt: inMinutes(-5) }, now)).toBeNull();
    expect(deadlineCountdown({ status: "ON_HOLD", dueAt: inMinutes(-5) }, now)).toBeNull();
  });
});

describe("describeDuration", () => {
  it("drops zero minutes and keeps hours past a day", () => {
    expect(describeDuration(3 * 3_600_000)).toBe("3 h");
    expect(describeDuration(72 * 3_600_000)).toBe("72 h");
    expect(describeDuration(59 * 60_000 + 59_000)).toBe("59 min");
  });
});
