import { describe, expect, it } from "vitest";
import { createRestartBudget } from "./restart-budget.ts";

describe("restart budget", () => {
  it("doubles the delay for each restart within a minute, up to its bound", () => {
    const budget = createRestartBudget({ maxPerMinute: 10, baseDelayMs: 250, maxDelayMs: 1_000 });
    expect([0, 1, 2, 3, 4].map((second) => budget.nextRestart(second * 1_000))).toEqual([
      250, 500, 1_000, 1_000, 1_000,
    ]);
  });

  it("gives up past its restarts per minute, and forgets restarts older than a minute", () => {
    const budget = createRestartBudget({ maxPerMinute: 3, baseDelayMs: 100, maxDelayMs: 5_000 });
    expect(budget.nextRestart(0)).toBe(100);
    expect(budget.nextRestart(10_000)).toBe(200);
    expect(budget.nextRestart(20_000)).toBe(400);
    expect(budget.nextRestart(59_999)).toBeNull();
    // the first has left the minute: one more is allowed, after the delay of the two still in it
    expect(budget.nextRestart(60_000)).toBe(400);
    expect(budget.nextRestart(60_001)).toBeNull();
  });
});
