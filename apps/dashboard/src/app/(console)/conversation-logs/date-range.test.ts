import { describe, expect, it } from "vitest";
import { dayAfter, dayStart, validDay } from "./date-range.ts";

describe("the filters' days", () => {
  it("are UTC days, whatever the machine's time zone", () => {
    expect(dayStart("2026-12-01")?.toISOString()).toBe("2026-12-01T00:00:00.000Z");
    expect(dayAfter("2026-12-31")?.toISOString()).toBe("2027-01-01T00:00:00.000Z");
    // a day of a daylight-saving change is still 24 hours long in UTC
    expect(dayAfter("2026-03-29")?.toISOString()).toBe("2026-03-30T00:00:00.000Z");
  });

  it("are nothing when the text is not a real day", () => {
    expect(dayStart("")).toBeUndefined();
    expect(dayStart("2026-02-30")).toBeUndefined();
    expect(dayStart("2026-12-1")).toBeUndefined();
    expect(dayStart("2026-12-01T05:00")).toBeUndefined();
    expect(dayAfter("2026-13-01")).toBeUndefined();
    expect(validDay("2026-02-29")).toBe("");
    expect(validDay(undefined)).toBe("");
    expect(validDay("2028-02-29")).toBe("2028-02-29");
  });
});
