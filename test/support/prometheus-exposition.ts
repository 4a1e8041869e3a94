/** One sample line: `name{label="value",…} value`. */
export interface ExpositionSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface ExpositionFamily {
  name: string;
  type: "counter" | "gauge" | "histogram" | "summary" | "untyped";
  help: string;
  samples: ExpositionSample[];
}

export interface Exposition {
  families: Map<string, ExpositionFamily>;
  /** the sample with exactly these labels, or undefined */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** the sum of the samples whose labels include these (0 when none) */
  sum(name: string, labels?: Record<string, string>): number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const SUFFIXES: Record<string, readonly string[]> = {
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["_sum", "_count"],
};

/**
 * A strict reader of the Prometheus text format 0.0.4, for tests: every line must be a HELP,
 * a TYPE, a blank line or a sample of a family declared before it (a histogram's `_bucket`,
 * `_sum` and `_count`); label values are unescaped; a repeated series, a histogram whose +Inf
 * bucket is not its count, or anything else malformed throws, naming the line.
 */
export function parseExposition(text: string): Exposition {
  const families = new Map<string, ExpositionFamily>();
  const seen = new Set<string>();
  const lines = text.split("\n");
  if (lines.at(-1) !== "") throw new Error("the exposition must end with a newline");
  for (const [index, line] of lines.entries()) {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line === "") continue;
    if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
      const rest = line.slice(7);
      const space = rest.indexOf(" ");
      const name = space === -1 ? rest : rest.slice(0, space);
      if (!METRIC_NAME.test(name)) fail("bad metric name");
      const family = families.get(name) ?? { name, type: "untyped", help: "", samples: [] };
      families.set(name, family);
      if (line.startsWith("# HELP ")) {
        family.help = space === -1 ? "" : rest.slice(space + 1);
      } else {
        const type = rest.slice(space + 1);
        if (!TYPES.has(type)) fail("unknown type");
        if (family.samples.length > 0) fail("TYPE after samples");
        family.type = type as ExpositionFamily["type"];
      }
      continue;
    }
    if (line.startsWith("#")) continue;
    const sample = sampleOf(line, fail);
    const family = familyOf(families, sample.name);
    if (!family) fail("sample of an undeclared family");
    const key = `${sample.name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seen.has(key)) fail("repeated series");
    seen.add(key);
    family?.samples.push(sample);
  }
  for (const family of families.values()) {
    if (family.type === "histogram") checkHistogram(family);
  }
  const matches = (sample: ExpositionSample, labels: Record<string, string>) =>
    Object.entries(labels).every(([name, value]) => sample.labels[name] === value);
  const samplesOf = (name: string) => familyOf(families, name)?.samples.filter((s) => s.name === name) ?? [];
  return {
    families,
    value(name, labels = {}) {
      return samplesOf(name).find(
        (s) => matches(s, labels) && Object.keys(s.labels).length === Object.keys(labels).length,
      )?.value;
    },
    sum(name, labels = {}) {
      return samplesOf(name)
        .filter((s) => matches(s, labels))
        .reduce((total, s) => total + s.value, 0);
    },
  };
}

function familyOf(families: Map<string, ExpositionFamily>, sampleName: string): ExpositionFamily | undefined {
  const own = families.get(sampleName);
  if (own && !SUFFIXES[own.type]) return own;
  for (const suffix of ["_bucket", "_sum", "_count"]) {
    if (!sampleName.endsWith(suffix)) continue;
    const family = families.get(sampleName.slice(0, -suffix.length));
    if (family && SUFFIXES[family.type]?.includes(suffix)) return family;
  }
  return undefined;
}

function sampleOf(line: string, fail: (why: string) => never): ExpositionSample {
  let at = 0;
  while (at < line.length && line[at] !== "{" && line[at] !== " ") at++;
  const name = line.slice(0, at);
  if (!METRIC_NAME.test(name)) fail("bad metric name");
  const labels: Record<string, string> = {};
  if (line[at] === "{") {
    at++;
    while (line[at] !== "}") {
      const equals = line.indexOf("=", at);
      if (equals === -1) fail("label without a value");
      const label = line.slice(at, equals);
      if (!LABEL_NAME.test(label)) fail("bad label name");
      if (label in labels) fail("repeated label");
      if (line[equals + 1] !== '"') fail("unquoted label value");
      let value = "";
      at = equals + 2;
      for (;;) {
        const char = line[at];
        if (char === undefined) fail("unterminated label value");
        if (char === '"') break;
        if (char === "\\") {
          const escaped = line[at + 1];
          if (escaped === "n") value += "\n";
          else if (escaped === "\\" || escaped === '"') value += escaped;
          else fail("bad escape");
          at += 2;
        } else {
          value += char;
          at++;
        }
      }
      labels[label] = value;
      at++;
      if (line[at] === ",") at++;
      else if (line[at] !== "}") fail("labels not separated by commas");
    }
    at++;
  }
  if (line[at] !== " ") fail("no value");
  const token = line.slice(at + 1);
  const value =
    token === "+Inf" ? Number.POSITIVE_INFINITY : token === "-Inf" ? Number.NEGATIVE_INFINITY : Number(token);
  // NaN in any case, as Prometheus reads it (Go's ParseFloat): prom-client writes "Nan"
  if (token === "" || (Number.isNaN(value) && token.toLowerCase() !== "nan")) fail("bad value");
  return { name, labels, value };
}

/** Buckets never decrease, and each series' +Inf bucket is its count. */
function checkHistogram(family: ExpositionFamily) {
  const seriesKey = (labels: Record<string, string>) =>
    JSON.stringify(
      Object.entries(labels)
        .filter(([name]) => name !== "le")
        .sort(),
    );
  const last = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const sample of family.samples) {
    const key = seriesKey(sample.labels);
    if (sample.name.endsWith("_bucket")) {
      if (sample.labels.le === undefined) throw new Error(`${sample.name}: bucket without le`);
      if (sample.value < (last.get(key) ?? 0)) throw new Error(`${sample.name}${key}: buckets decrease`);
      last.set(key, sample.value);
      if (sample.labels.le === "+Inf") counts.set(key, sample.value);
    }
  }
  for (const sample of family.samples) {
    if (!sample.name.endsWith("_count")) continue;
    const key = seriesKey(sample.labels);
    if (counts.get(key) !== sample.value)
      throw new Error(`${sample.name}${key}: +Inf bucket is not the count`);
  }
}
