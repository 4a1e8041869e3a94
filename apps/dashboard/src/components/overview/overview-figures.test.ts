import { describe, expect, it } from "vitest";
import {
  checkLabel,
  errorRateTrend,
  formatMilliseconds,
  formatRate,
  hourLabel,
  quotaTone,
  requestTrend,
  sparklineScale,
} from "./overview-figures.ts";

describe("the overview's figures", () => {
  it("say today's requests against the same hours yesterday", () => {
    expect(requestTrend(0, 0)).toEqual({
      direction: "same",
      sentence: "None in the same hours yesterday either.",
    });
    expect(requestTrend(5, 0).direction).toBe("new");
    expect(requestTrend(112, 100)).toEqual({
      direction: "up",
      sentence: "12% more than the same hours yesterday (100).",
    });
    expect(requestTrend(1_500, 3_000).sentence).toBe("50% fewer than the same hours yesterday (3,000).");
    expect(requestTrend(1_001, 1_000).direction).toBe("same");
  });

  it("write error rates so that a small one is not shown as none", () => {
    expect(formatRate(null)).toBe("—");
    expect(formatRate(0)).toBe("0%");
    expect(formatRate(0.004)).toBe("0.4%");
    expect(formatRate(0.25)).toBe("25%");
    expect(errorRateTrend(0.05, 0.02)).toBe("3.0 points higher than in the same hours yesterday (2.0%).");
    expect(errorRateTrend(null, 0.1)).toBe("No requests today yet.");
    expect(errorRateTrend(0.1, null)).toMatch(/to compare with/);
  });

  it("scale the hourly chart to the largest hour of either day", () => {
    const start = new Date("2026-01-15T00:00:00Z");
    const scale = sparklineScale([
      { start, requests: 5, errors: 0, requestsYesterday: 10 },
      { start, requests: 0, errors: 0, requestsYesterday: 0 },
    ]);
    expect(scale).toEqual({ today: [0.5, 0], yesterday: [1, 0] });
    // a day without requests draws flat bars, not a division by zero
    expect(sparklineScale([{ start, requests: 0, errors: 0, requestsYesterday: 0 }]).today).toEqual([0]);
    expect(hourLabel(new Date("2026-01-15T09:00:00Z"))).toBe("09:00");
  });

  it("name readiness checks, times and quota levels for people", () => {
    expect(checkLabel("database")).toBe("Database");
    expect(checkLabel("master_key_v2")).toBe("Master key version 2");
    expect(checkLabel("object_store")).toBe("object store");
    expect(formatMilliseconds(0.4)).toBe("0.4 ms");
    expect(formatMilliseconds(1234.5)).toBe("1,235 ms");
    expect(formatMilliseconds(null)).toBe("—");
    expect([quotaTone(null), quotaTone(0.5), quotaTone(0.85), quotaTone(1.2)]).toEqual([
      "accent",
      "accent",
      "warning",
      "danger",
    ]);
  });
});
