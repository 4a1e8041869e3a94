/**
 * The values of the named series in a Prometheus text exposition (format 0.0.4), read in one
 * pass over the text: a tolerant reader of the few gauges the dashboard shows, not a full
 * parser (the observability work may bring prom-client). Comments, malformed lines and series
 * not asked for are skipped; a series with labels counts as its name (the first sample wins).
 * Linear in the text, so a hostile or huge answer costs no more than reading it.
 */
export function readPrometheusSamples(text: string, names: ReadonlySet<string>): Map<string, number> {
  const values = new Map<string, number>();
  let start = 0;
  while (start < text.length && values.size < names.size) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? text.length : newline;
    const sample = sampleOf(text.slice(start, end).trim(), names);
    if (sample && !values.has(sample.name)) values.set(sample.name, sample.value);
    start = end + 1;
  }
  return values;
}

function sampleOf(line: string, names: ReadonlySet<string>): { name: string; value: number } | null {
  if (line === "" || line.startsWith("#")) return null;
  const nameEnd = line.search(/[\s{]/);
  if (nameEnd <= 0) return null;
  const name = line.slice(0, nameEnd);
  if (!names.has(name)) return null;
  // labels may hold spaces in quoted values: the value follows the last closing brace
  const rest = line[nameEnd] === "{" ? line.slice(line.lastIndexOf("}") + 1) : line.slice(nameEnd);
  const value = sampleValue(rest.trim().split(/\s+/)[0] ?? "");
  return value === null ? null : { name, value };
}

function sampleValue(token: string): number | null {
  if (token === "+Inf" || token === "Inf") return Number.POSITIVE_INFINITY;
  if (token === "-Inf") return Number.NEGATIVE_INFINITY;
  if (token === "NaN") return Number.NaN;
  if (token === "") return null;
  const value = Number(token);
  return Number.isNaN(value) ? null : value;
}
