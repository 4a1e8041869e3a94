import { describe, expect, it } from "vitest";
import { toCsv } from "../csv.ts";
import {
  errorStatusRows,
  latencyRows,
  stackedRows,
  summedRows,
  type UsageAnalytics,
  type UsageFigures,
  usageCsvColumns,
  usageCsvFilename,
  usageSeries,
  usageTableCaption,
  usageTableRows,
} from "./usage-data.ts";

function figures(overrides: Partial<UsageFigures> = {}): UsageFigures {
  return {
    requests: 0,
    errors: 0,
    errorsByStatus: [],
    promptTokens: 0,
    completionTokens: 0,
    cacheHits: 0,
    cacheHitRate: 0,
    latencyP50Ms: null,
    latencyP95Ms: null,
    spendUsd: 0,
    ...overrides,
  };
}

const hour = (h: number) => new Date(Date.UTC(2026, 11, 2, h));

/** Three hours by model: gpt-4.1 in hours 0 and 2, the others in hour 0. */
const byModel: UsageAnalytics = {
  bucket: "hour",
  from: hour(0),
  to: hour(3),
  groups: [
    { key: "gpt-4.1", label: "gpt-4.1", totals: figures({ requests: 7 }) },
    { key: "__other__", label: "Other", totals: figures({ requests: 2 }) },
  ],
  points: [
    {
      start: hour(2),
      groupKey: "gpt-4.1",
      ...figures({ requests: 4, errors: 1, spendUsd: 0.5, latencyP95Ms: 900 }),
    },
    {
      start: hour(0),
      groupKey: "__other__",
      ...figures({ requests: 2, promptTokens: 10, latencyP95Ms: 300 }),
    },
    {
      start: hour(0),
      groupKey: "gpt-4.1",
      ...figures({ requests: 3, promptTokens: 30, completionTokens: 5, spendUsd: 0.25, latencyP95Ms: 200 }),
    },
  ],
  totals: figures({
    requests: 9,
    errors: 3,
    errorsByStatus: [
      { status: 500, count: 1 },
      { status: 429, count: 2 },
    ],
  }),
};

describe("chart rows", () => {
  it("keys each group's series without dots, in the order of the groups", () => {
    expect(usageSeries(byModel)).toEqual([
      { dataKey: "g0", groupKey: "gpt-4.1", label: "gpt-4.1" },
      { dataKey: "g1", groupKey: "__other__", label: "Other" },
    ]);
  });

  it("stacks a figure by group for every bucket, zero where nothing happened", () => {
    expect(stackedRows(byModel, "requests")).toEqual([
      { start: hour(0).getTime(), g0: 3, g1: 2 },
      { start: hour(1).getTime(), g0: 0, g1: 0 },
      { start: hour(2).getTime(), g0: 4, g1: 0 },
    ]);
  });

  it("sums the groups of each bucket", () => {
    expect(summedRows(byModel)[0]).toEqual({
      start: hour(0).getTime(),
      requests: 5,
      errors: 0,
      promptTokens: 40,
      completionTokens: 5,
      spendUsd: 0.25,
    });
    expect(summedRows(byModel)[2]).toMatchObject({ requests: 4, errors: 1, spendUsd: 0.5 });
  });

  it("shows each group's p95 when grouped, with gaps where a group had no requests", () => {
    expect(latencyRows(byModel)).toEqual({
      isByGroup: true,
      rows: [
        { start: hour(0).getTime(), g0: 200, g1: 300 },
        { start: hour(1).getTime(), g0: null, g1: null },
        { start: hour(2).getTime(), g0: 900, g1: null },
      ],
    });
  });

  it("shows p50 and p95 when not grouped", () => {
    const ungrouped: UsageAnalytics = {
      ...byModel,
      groups: [{ key: "all", label: "All requests", totals: figures() }],
      points: [{ start: hour(1), groupKey: "all", ...figures({ latencyP50Ms: 120, latencyP95Ms: 480 }) }],
    };
    const { rows, isByGroup } = latencyRows(ungrouped);
    expect(isByGroup).toBe(false);
    expect(rows[1]).toEqual({ start: hour(1).getTime(), latencyP50Ms: 120, latencyP95Ms: 480 });
    expect(rows[0]).toEqual({ start: hour(0).getTime(), latencyP50Ms: null, latencyP95Ms: null });
  });
});

describe("table and CSV", () => {
  it("lists the points in time order, the groups of a bucket by their totals", () => {
    expect(
      usageTableRows(byModel).map((row) => [row.start.getUTCHours(), row.groupLabel, row.requests]),
    ).toEqual([
      [0, "gpt-4.1", 3],
      [0, "Other", 2],
      [2, "gpt-4.1", 4],
    ]);
  });

  it("captions the table with what one line is", () => {
    expect(usageTableCaption("hour", "model")).toBe("Usage by hour and model");
    expect(usageTableCaption("day", "apiKey")).toBe("Usage by day and API key");
    expect(usageTableCaption("minute", "none")).toBe("Usage by minute");
  });

  it("writes the rows as CSV with raw numbers and ISO times", () => {
    const csv = toCsv(usageCsvColumns("model"), usageTableRows(byModel)).split("\r\n");
    expect(csv[0]).toBe(
      "bucket_start,model_key,model,requests,errors,error_rate,prompt_tokens,completion_tokens,cache_hits,cache_hit_rate,latency_p50_ms,latency_p95_ms,spend_usd",
    );
    expect(csv[1]).toBe("2026-12-02T00:00:00.000Z,gpt-4.1,gpt-4.1,3,0,0,30,5,0,0,,200,0.25");
    expect(csv[3]).toBe("2026-12-02T02:00:00.000Z,gpt-4.1,gpt-4.1,4,1,0.25,0,0,0,0,,900,0.5");
    expect(csv).toHaveLength(5);
    expect(toCsv(usageCsvColumns("none"), []).startsWith("bucket_start,requests,")).toBe(true);
    expect(usageCsvFilename(byModel)).toBe("usage-hour-2026-12-02T00-00Z-to-2026-12-02T03-00Z.csv");
  });

  it("orders errors by status, the most frequent first, with their share", () => {
    expect(errorStatusRows(byModel.totals)).toEqual([
      { status: 429, count: 2, share: 2 / 3 },
      { status: 500, count: 1, share: 1 / 3 },
    ]);
  });
});
