import { describe, expect, it } from "vitest";
import { bucketStarts, bucketsFor, customRange, parseDay, presetDays, presetRange } from "./usage-range.ts";

const now = new Date("2026-12-02T17:26:18.000Z");

describe("presetRange", () => {
  it("ends each preset at the end of the bucket that holds now", () => {
    expect(presetRange("1h", undefined, now)).toEqual({
      from: new Date("2026-12-02T16:27:00.000Z"),
      to: new Date("2026-12-02T17:27:00.000Z"),
      bucket: "minute",
    });
    expect(presetRange("24h", undefined, now)).toEqual({
      from: new Date("2026-12-01T18:00:00.000Z"),
      to: new Date("2026-12-02T18:00:00.000Z"),
      bucket: "hour",
    });
    expect(presetRange("30d", undefined, now)).toEqual({
      from: new Date("2026-11-03T00:00:00.000Z"),
      to: new Date("2026-12-03T00:00:00.000Z"),
      bucket: "day",
    });
  });

  it("takes a bucket the preset offers and ignores one it does not", () => {
    expect(presetRange("7d", "day", now)).toMatchObject({
      from: new Date("2026-11-26T00:00:00.000Z"),
      bucket: "day",
    });
    expect(presetRange("7d", "hour", now).bucket).toBe("hour");
    expect(presetRange("90d", "minute", now).bucket).toBe("day");
    expect(presetRange("1h", "day", now).bucket).toBe("minute");
  });

  it("gives the days of a preset for a custom range that starts from it", () => {
    expect(presetDays("7d", now)).toEqual({ firstDay: "2026-11-26", lastDay: "2026-12-02" });
    expect(presetDays("24h", now)).toEqual({ firstDay: "2026-12-01", lastDay: "2026-12-02" });
  });
});

describe("customRange", () => {
  it("covers whole UTC days, both included, with hours by default", () => {
    expect(customRange("2026-11-01", "2026-11-03", undefined, new Date("2026-11-04T00:00:00Z"))).toEqual({
      from: new Date("2026-11-01T00:00:00.000Z"),
      to: new Date("2026-11-04T00:00:00.000Z"),
      bucket: "hour",
    });
  });

  it("allows minutes for one day only, hours up to 31 days, days up to 400", () => {
    const now = new Date("2026-11-02T06:00:00Z");
    expect(customRange("2026-11-01", "2026-11-01", "minute", now)?.bucket).toBe("minute");
    expect(customRange("2026-11-01", "2026-11-02", "minute", now)?.bucket).toBe("hour");
    expect(customRange("2026-11-01", "2026-12-01", "hour", now)?.bucket).toBe("hour");
    expect(customRange("2026-11-01", "2026-12-02", "hour", now)?.bucket).toBe("day");
    expect(customRange("2025-11-01", "2026-12-05", "day")?.bucket).toBe("day");
    expect(customRange("2025-11-01", "2026-12-06", "day")).toBeNull();
    expect(bucketsFor(86_400_000)).toEqual(["minute", "hour", "day"]);
    expect(bucketsFor(0)).toEqual([]);
  });

  it("offers minutes only for the last 48 hours and hours only for the last 400 days, as they are kept", () => {
    const now = new Date("2026-11-10T12:00:00Z");
    expect(customRange("2026-11-09", "2026-11-09", "minute", now)?.bucket).toBe("minute");
    expect(customRange("2026-11-07", "2026-11-07", "minute", now)?.bucket).toBe("hour");
    expect(bucketsFor(86_400_000, new Date("2026-11-07T00:00:00Z"), now)).toEqual(["hour", "day"]);
    expect(bucketsFor(86_400_000, new Date("2025-10-01T00:00:00Z"), now)).toEqual(["day"]);
  });

  it("refuses dates that are not real and a last day before the first", () => {
    expect(customRange("2026-02-31", "2026-03-02", undefined)).toBeNull();
    expect(customRange("2026-11-03", "2026-11-01", undefined)).toBeNull();
    expect(customRange("yesterday", "2026-11-01", undefined)).toBeNull();
    expect(customRange(undefined, "2026-11-01", undefined)).toBeNull();
    expect(parseDay("2024-02-29")).toEqual(new Date("2024-02-29T00:00:00.000Z"));
    expect(parseDay("2026-1-01")).toBeNull();
  });
});

describe("bucketStarts", () => {
  it("lists every bucket of the range, the empty ones too", () => {
    const starts = bucketStarts(presetRange("24h", undefined, now));
    expect(starts).toHaveLength(24);
    expect(starts[0]).toEqual(new Date("2026-12-01T18:00:00.000Z"));
    expect(starts.at(-1)).toEqual(new Date("2026-12-02T17:00:00.000Z"));
    expect(bucketStarts(presetRange("1h", undefined, now))).toHaveLength(60);
    expect(bucketStarts(presetRange("90d", undefined, now))).toHaveLength(90);
  });
});
