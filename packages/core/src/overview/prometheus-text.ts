/**
 * How the samples of one name make the one value the dashboard shows. A gateway of several
 * processes (GATEWAY_WORKERS) exposes its process series once per worker, under a `worker`
 * label: the worst worker is the one to show (`max`), not worker 0. `sum` adds samples that
 * count parts of one whole; `min` is for a state that holds only if it holds everywhere.
 */
export type SampleReading = "max" | "min" | "sum";

const COMBINE: Record<SampleReading, (a: number, b: number) => number> = {
  max: Math.max,
  min: Math.min,
  sum: (a, b) => a + b,
};

/**
 * The values of the named series in a Prometheus text exposition (format 0.0.4), read in one
 * pass over the text: a tolerant reader of the few gauges the dashboard shows, not a full
 * parser. Comments, malformed lines and series not asked for are skipped; a series with labels
 * counts as its name, and the samples of one name are combined as its reading says.
 * Linear in the text, so a hostile or huge answer costs no more than reading it.
 */
export function readPrometheusSamples(
  text: string,
  readings: ReadonlyMap<string, SampleReading>,
): Map<string, number> {
  const values = new Map<string, number>();
  let start = 0;
  while (start < text.length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const sample = sampleOf(text.slice(start, end).trim(), readings);
    if (sample) {
      const earlier = values.get(sample.name);
      values.set(sample.name, combined(sample.reading, earlier, sample.value));
    }
    start = end + 1;
  }
  return values;
}

/** A NaN sample (a worker with nothing to report yet) does not hide the others' values. */
function combined(reading: SampleReading, earlier: number | undefined, value: number): number {
  if (earlier === undefined || Number.isNaN(earlier)) return value;
  if (Number.isNaN(value)) return earlier;
  return COMBINE[reading](earlier, value);
}

function sampleOf(
  line: string,
  readings: ReadonlyMap<string, SampleReading>,
): { name: string; value: number; reading: SampleReading } | null {
  if (line === "" || line.startsWith("#")) return null;
  const nameEnd = line.search(/[\s{]/);
  if (nameEnd <= 0) return null;
  const name = line.slice(0, nameEnd);
  const reading = readings.get(name);
  if (reading === undefined) return null;
  // labels may hold spaces in quoted values: the value follows the last closing brace
  const rest = line[nameEnd] === "{" ? line.slice(line.lastIndexOf("}") + 1) : line.slice(nameEnd);
  const value = sampleValue(rest.trim().split(/\s+/)[0] ?? "");
  return value === null ? null : { name, value, reading };
}

function sampleValue(token: string): number | null {
  if (token === "+Inf" || token === "Inf") return Number.POSITIVE_INFINITY;
  if (token === "-Inf") return Number.NEGATIVE_INFINITY;
  if (token === "NaN") return Number.NaN;
  if (token === "") return null;
  const value = Number(token);
  return Number.isNaN(value) ? null : value;
}
