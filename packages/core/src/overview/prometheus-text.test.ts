import { describe, expect, it } from "vitest";
import { readPrometheusSamples, type SampleReading } from "./prometheus-text.ts";

const readings = new Map<string, SampleReading>([
  ["dsc_up", "min"],
  ["dsc_lag_seconds", "max"],
  ["dsc_labelled_total", "sum"],
  ["dsc_missing", "max"],
]);

describe("readPrometheusSamples", () => {
  it("reads the named series and skips comments, other series and malformed lines", () => {
    const text = [
      "# HELP dsc_up 1 when up",
      "# TYPE dsc_up gauge",
      "dsc_up 1",
      "dsc_other 7",
      "dsc_lag_seconds 0.0125 1700000000000",
      'dsc_labelled_total{store="redis", note="a } b"} 42',
      "garbage line without value",
      "{not a name} 3",
      "",
    ].join("\n");
    const values = readPrometheusSamples(text, readings);
    expect(Object.fromEntries(values)).toEqual({
      dsc_up: 1,
      dsc_lag_seconds: 0.0125,
      dsc_labelled_total: 42,
    });
  });

  it("combines the samples of one name as its reading says: the worst worker's lag, not the first's", () => {
    // what a gateway of three processes exposes: its process series once per worker
    const text = [
      'dsc_lag_seconds{worker="0"} 0.011',
      'dsc_lag_seconds{worker="1"} 0.25',
      'dsc_lag_seconds{worker="2"} 0.012',
      'dsc_labelled_total{worker="0"} 2',
      'dsc_labelled_total{worker="1"} 5',
      'dsc_up{worker="0"} 1',
      'dsc_up{worker="1"} 0',
      'dsc_up{worker="2"} 1',
    ].join("\n");
    expect(Object.fromEntries(readPrometheusSamples(text, readings))).toEqual({
      dsc_lag_seconds: 0.25,
      dsc_labelled_total: 7,
      dsc_up: 0,
    });
  });

  it("does not let one worker's NaN hide the others' values", () => {
    const text = [
      'dsc_lag_seconds{worker="0"} NaN',
      'dsc_lag_seconds{worker="1"} 0.02',
      'dsc_lag_seconds{worker="2"} NaN',
    ];
    expect(readPrometheusSamples(text.join("\n"), readings).get("dsc_lag_seconds")).toBe(0.02);
  });

  it("takes Prometheus' special values and CRLF lines, and leaves out values that are not numbers", () => {
    const values = readPrometheusSamples(
      "dsc_up +Inf\r\ndsc_lag_seconds NaN\r\ndsc_labelled_total abc\r\n",
      readings,
    );
    expect(values.get("dsc_up")).toBe(Number.POSITIVE_INFINITY);
    expect(values.get("dsc_lag_seconds")).toBeNaN();
    expect(values.has("dsc_labelled_total")).toBe(false);
  });

  it("reads a large exposition in time linear in its size", () => {
    const filler = 'x_series{a="'.concat("{".repeat(1000), '"} 1\n').repeat(2_000);
    const started = performance.now();
    const values = readPrometheusSamples(`${filler}dsc_up 1\n`, readings);
    expect(values.get("dsc_up")).toBe(1);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
