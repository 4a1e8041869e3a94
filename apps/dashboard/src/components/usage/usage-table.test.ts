import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { UsageAnalytics, UsageFigures } from "./usage-data.ts";
import { UsageTable } from "./usage-table.tsx";

const figures = (requests: number): UsageFigures => ({
  requests,
  errors: 0,
  errorsByStatus: [],
  promptTokens: 0,
  completionTokens: 0,
  cacheHits: 0,
  cacheHitRate: 0,
  latencyP50Ms: null,
  latencyP95Ms: null,
  spendUsd: 0,
});

/** `minutes` minute buckets of one model, each with its index + 1 requests. */
function byMinute(minutes: number): UsageAnalytics {
  const from = new Date("2026-12-02T00:00:00.000Z");
  return {
    bucket: "minute",
    from,
    to: new Date(from.getTime() + minutes * 60_000),
    groups: [{ key: "m", label: "gpt-4.1", totals: figures(1) }],
    points: Array.from({ length: minutes }, (_, minute) => ({
      start: new Date(from.getTime() + minute * 60_000),
      groupKey: "m",
      ...figures(minute + 1),
    })),
    totals: figures(minutes),
  };
}

const render = (analytics: UsageAnalytics) =>
  renderToStaticMarkup(createElement(UsageTable, { analytics, groupBy: "model" }));

describe("UsageTable", () => {
  it("is a real table: a caption saying what a line is, column headers and a row header per line", () => {
    const html = render(byMinute(2));
    expect(html).toMatch(/<caption[^>]*>Usage by minute and model/);
    expect(html.match(/<th scope="col"/g)).toHaveLength(11);
    expect(html.match(/<th scope="row"[^>]*>2 Dec, 00:0[01]<\/th>/g)).toHaveLength(2);
    expect(html).toContain(">gpt-4.1</td>");
  });

  it("shows a hundred lines at a time, with a pager beyond that", () => {
    expect(render(byMinute(100))).not.toContain("Pages of the usage table");
    const html = render(byMinute(150));
    expect(html.match(/<th scope="row"/g)).toHaveLength(100);
    expect(html).toContain('aria-label="Pages of the usage table"');
    expect(html).toContain("Lines 1–100 of 150");
  });
});
