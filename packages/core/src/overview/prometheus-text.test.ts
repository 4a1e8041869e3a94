import { describe, expect, it } from "vitest";
import { readPrometheusSamples } from "./prometheus-text.ts";

const names = new Set(["dsc_up", "dsc_lag_seconds", "dsc_labelled_total", "dsc_missing"]);

describe("readPrometheusSamples", () => {
  it("reads the named series and skips comments, other series and malformed lines", () => {
    const text = [
      "# HELP dsc_up 1 when up",
      "# TYPE dsc_up gauge",
      "dsc_up 1",
      "dsc_other 7",
      "dsc_lag_seconds 0.0125 1700000000000",
      'dsc_labelled_total{store="redis", note="a } b"} 42',
      "dsc_up 0",
      "garbage line without value",
      "{not a name} 3",
      "",
    ].join("\n");
    const values = readPrometheusSamples(text, names);
    expect(Object.fromEntries(values)).toEqual({
      dsc_up: 1,
      dsc_lag_seconds: 0.0125,
      dsc_labelled_total: 42,
    });
  });

  it("takes Prometheus' special values and CRLF lines, and leaves out values that are not numbers", () => {
    const values = readPrometheusSamples(
      "dsc_up +Inf\r\ndsc_lag_seconds NaN\r\ndsc_labelled_total abc\r\n",
      names,
    );
    expect(values.get("dsc_up")).toBe(Number.POSITIVE_INFINITY);
    expect(values.get("dsc_lag_seconds")).toBeNaN();
    expect(values.has("dsc_labelled_total")).toBe(false);
  });

  it("reads a large exposition in time linear in its size", () => {
    const filler = 'x_series{a="'.concat("{".repeat(1000), '"} 1\n').repeat(2_000);
    const started = performance.now();
    const values = readPrometheusSamples(`${filler}dsc_up 1\n`, names);
    expect(values.get("dsc_up")).toBe(1);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
