import { describe, expect, it } from "vitest";
import { usagePeriod } from "./monthly-token-usage.ts";

describe("usagePeriod", () => {
  it("is the UTC calendar month of a moment, its bounds half-open", () => {
    const period = usagePeriod(new Date("2026-12-31T23:59:59.999Z"));
    expect(period.id).toBe("2026-12");
    expect(period.start.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(period.end.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(usagePeriod(new Date("2027-01-01T00:00:00.000Z")).id).toBe("2027-01");
  });

  it("answers right when moments go back and forth across months (it remembers the last one)", () => {
    const moments = [
      "2026-11-30T23:59:59.999Z",
      "2026-12-01T00:00:00.000Z",
      "2026-11-15T12:00:00Z",
      "2024-02-29T10:00:00Z",
      "2026-12-02T00:00:00Z",
    ];
    expect(moments.map((moment) => usagePeriod(new Date(moment)).id)).toEqual([
      "2026-11",
      "2026-12",
      "2026-11",
      "2024-02",
      "2026-12",
    ]);
    expect(usagePeriod(new Date("2024-02-29T10:00:00Z")).end.toISOString()).toBe("2024-03-01T00:00:00.000Z");
  });
});
