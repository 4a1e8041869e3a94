import type { Cell, CellFigures } from "./measure.ts";
import { type BodyKind, type SkippedTarget, TARGET_IDS, TARGET_NAMES, type TargetId } from "./targets.ts";

/** Each measured target's medians by cell (`cellKey`). */
export type Medians = Partial<Record<TargetId, Record<string, CellFigures>>>;

export function cellKey(cell: Cell): string {
  return `${cell.kind}@${cell.connections}`;
}

function figure(medians: Medians, id: TargetId, kind: BodyKind, connections: number): CellFigures | null {
  return medians[id]?.[cellKey({ kind, connections })] ?? null;
}

const whole = (value: number | null | undefined) =>
  value === null || value === undefined ? "n/a" : Math.round(value).toLocaleString("en-US");
/** the database's CPU: a dash for a target that uses none, or a run that could not read it */
const database = (figures: CellFigures | null | undefined) =>
  figures?.databaseMicrosPerRequest == null ? "–" : whole(figures.databaseMicrosPerRequest);
/** the collector: main-thread µs and promoted bytes per request, or a dash for a server not traced */
const collector = (figures: CellFigures | null | undefined) =>
  figures?.gcMicrosPerRequest == null
    ? "–"
    : `${whole(figures.gcMicrosPerRequest)} (${whole(figures.promotedBytesPerRequest)})`;
const ms = (value: number | null | undefined) =>
  value === null || value === undefined ? "n/a" : value.toFixed(2);

/** The table: a row per target. */
export function sideBySideTable(medians: Medians, skipped: SkippedTarget[]): string[] {
  const rows = TARGET_IDS.flatMap((id) => {
    const skip = skipped.find((entry) => entry.id === id);
    if (skip) return [`| ${TARGET_NAMES[id]} | skipped: ${skip.reason} | | | | | | |`];
    // a target this run did not ask for (the baseline build) has no row
    if (!medians[id]) return [];
    const at = (kind: BodyKind, connections: number) => figure(medians, id, kind, connections);
    const jsonRates = [1, 16, 64].map((c) => whole(at("json", c)?.requestsPerSecond)).join(" / ");
    const cpu = at("json", 16);
    return [
      `| ${TARGET_NAMES[id]} | ${jsonRates} | ${ms(at("json", 1)?.p50)} | ` +
        `${whole(cpu?.cpuMicrosPerRequest)} (${whole(cpu?.mainThreadMicrosPerRequest)}) | ${collector(cpu)} | ` +
        `${database(cpu)} | ${whole(at("stream", 16)?.requestsPerSecond)} | ${ms(at("stream", 1)?.firstByteP50)} |`,
    ];
  });
  return [
    "| target | JSON req/s c=1 / 16 / 64 | JSON p50 ms c=1 | CPU µs/req c=16: process (event loop) | GC µs/req c=16 (bytes promoted/req) | PostgreSQL CPU µs/req c=16 | stream req/s c=16 | stream first byte p50 ms c=1 |",
    "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ];
}

/** Every cell: what the side-by-side table picks from. */
export function cellTable(medians: Medians, cells: Cell[]): string[] {
  const rows = TARGET_IDS.flatMap((id) =>
    cells.flatMap((cell) => {
      const figures = figure(medians, id, cell.kind, cell.connections);
      if (!figures) return [];
      return [
        `| ${TARGET_NAMES[id]} | ${cell.kind} | ${cell.connections} | ${whole(figures.requestsPerSecond)} | ` +
          `${ms(figures.p50)} | ${ms(figures.p99)} | ${ms(figures.firstByteP50)} | ` +
          `${whole(figures.cpuMicrosPerRequest)} | ${whole(figures.mainThreadMicrosPerRequest)} | ` +
          `${collector(figures)} | ${database(figures)} | ${whole(figures.requests)} |`,
      ];
    }),
  );
  return [
    "| target | body | connections | req/s | p50 ms | p99 ms | first byte p50 ms | CPU µs/req, process | CPU µs/req, event loop | GC µs/req (bytes promoted/req) | PostgreSQL CPU µs/req | requests a round |",
    "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows,
  ];
}

interface Aim {
  label: string;
  /** the measured value, null when a target it needs did not run */
  value: number | null;
  shown: (value: number) => string;
  target: string;
  isMet: (value: number) => boolean;
}

function aimsOf(medians: Medians): Aim[] {
  const at = (id: TargetId, kind: BodyKind, connections: number) => figure(medians, id, kind, connections);
  const ratio = (a: number | null | undefined, b: number | null | undefined) =>
    a === null || a === undefined || !b ? null : a / b;
  const less = (a: number | null | undefined, b: number | null | undefined) =>
    a === null || a === undefined || b === null || b === undefined ? null : a - b;
  const percent = (value: number) => `${(value * 100).toFixed(0)} %`;
  const times = (value: number) => `${value.toFixed(1)}×`;
  const added = (value: number) => `${value >= 0 ? "+" : ""}${value.toFixed(2)} ms`;
  const bareJson16 = at("bare", "json", 16);
  const stores = [
    ["gateway-memory", "memory", 0.5],
    ["gateway-redis", "Redis", 0.4],
  ] as const;
  return stores.flatMap(([id, store, share]) => {
    const json16 = at(id, "json", 16);
    return [
      {
        label: `JSON req/s at c=16, ${store} store, share of the bare pass-through's`,
        value: ratio(json16?.requestsPerSecond, bareJson16?.requestsPerSecond),
        shown: percent,
        target: `≥ ${percent(share)}`,
        isMet: (value: number) => value >= share,
      },
      {
        label: `JSON req/s at c=16, ${store} store, multiple of Portkey's`,
        value: ratio(json16?.requestsPerSecond, at("portkey", "json", 16)?.requestsPerSecond),
        shown: times,
        target: "≥ 5×",
        isMet: (value: number) => value >= 5,
      },
      {
        label: `JSON p50 at c=1, ${store} store, added to the bare pass-through's`,
        value: less(at(id, "json", 1)?.p50, at("bare", "json", 1)?.p50),
        shown: added,
        target: "≤ 0.3 ms",
        isMet: (value: number) => value <= 0.3,
      },
      {
        label: `stream first byte p50 at c=1, ${store} store, added to the bare pass-through's`,
        value: less(at(id, "stream", 1)?.firstByteP50, at("bare", "stream", 1)?.firstByteP50),
        shown: added,
        target: "≤ 0.5 ms",
        isMet: (value: number) => value <= 0.5,
      },
      {
        label: `process CPU per JSON request at c=16, ${store} store, multiple of the bare pass-through's`,
        value: ratio(json16?.cpuMicrosPerRequest, bareJson16?.cpuMicrosPerRequest),
        shown: times,
        target: "≤ 2×",
        isMet: (value: number) => value <= 2,
      },
    ];
  });
}

/** The targets, each with its figure from this run and whether it is met. */
export function aimsTable(medians: Medians): string[] {
  return [
    "| aim | measured | target | met |",
    "| --- | ---: | ---: | --- |",
    ...aimsOf(medians).map(
      (aim) =>
        `| ${aim.label} | ${aim.value === null ? "n/a" : aim.shown(aim.value)} | ${aim.target} | ` +
        `${aim.value === null ? "n/a" : aim.isMet(aim.value) ? "yes" : "no"} |`,
    ),
  ];
}

/** A row's JSON requests at c=16 as a share of the bare pass-through's, and its CPU per request as a multiple. */
function besideBare(row: CellFigures, bare: CellFigures): { share: string; cpu: string } {
  return {
    share: ((row.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(0),
    cpu:
      row.cpuMicrosPerRequest === null || !bare.cpuMicrosPerRequest
        ? "n/a"
        : (row.cpuMicrosPerRequest / bare.cpuMicrosPerRequest).toFixed(1),
  };
}

/**
 * The Fastify pass-through's figures beside the same aims: how much of the bare server's throughput
 * and CPU the framework alone leaves to a gateway built on it. Null when that row did not run.
 */
export function frameworkComparison(medians: Medians): string | null {
  const floor = figure(medians, "fastify", "json", 16);
  const gateway = figure(medians, "gateway-memory", "json", 16);
  const bare = figure(medians, "bare", "json", 16);
  if (!floor?.cpuMicrosPerRequest || !bare?.requestsPerSecond || !bare.cpuMicrosPerRequest) return null;
  const { share, cpu } = besideBare(floor, bare);
  const own = gateway?.cpuMicrosPerRequest
    ? ` The gateway with the memory store spends ${(gateway.cpuMicrosPerRequest - floor.cpuMicrosPerRequest).toFixed(0)} µs ` +
      `of CPU per JSON request over it, ${(gateway.cpuMicrosPerRequest / floor.cpuMicrosPerRequest).toFixed(1)}× its CPU.`
    : "";
  return (
    `For comparison, not an aim: the same pass-through on Fastify (no hooks, logger or schemas) answers ` +
    `${share} % of the bare pass-through's JSON requests at c=16, at ${cpu}× its CPU per request ` +
    `(${floor.cpuMicrosPerRequest.toFixed(0)} against ${bare.cpuMicrosPerRequest.toFixed(0)} µs).${own}`
  );
}

/**
 * The opted-out requests' figures beside the aims they would be judged by: what everything but the
 * chat log costs. Not one of the issue's aims; null when that row did not run.
 */
export function optOutComparison(medians: Medians): string | null {
  const optedOut = figure(medians, "gateway-memory-opt-out", "json", 16);
  const bare = figure(medians, "bare", "json", 16);
  if (!optedOut || !bare?.requestsPerSecond || !bare.cpuMicrosPerRequest) return null;
  const { share, cpu } = besideBare(optedOut, bare);
  return (
    `For comparison, not an aim: with the memory store and every request opted out of data collection ` +
    `(everything on but the chat log), the gateway answers ${share} % of the bare pass-through's JSON ` +
    `requests at c=16, at ${cpu}× its CPU per request.`
  );
}

/** The aims as figures, for BENCH_RESULTS_FILE. */
export function aimFigures(medians: Medians): { aim: string; value: number | null; met: boolean | null }[] {
  return aimsOf(medians).map((aim) => ({
    aim: aim.label,
    value: aim.value,
    met: aim.value === null ? null : aim.isMet(aim.value),
  }));
}

/** The cluster rows: the gateway with Redis at 1 and 2 worker processes. */
export function workersTable(rows: { workers: number; cells: Record<string, CellFigures> }[], cells: Cell[]) {
  return [
    "| gateway processes | body | connections | req/s | p50 ms | p99 ms | CPU µs/req, all processes | CPU µs/req, event loops | GC µs/req, all processes (bytes promoted/req) | PostgreSQL CPU µs/req |",
    "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ...rows.flatMap(({ workers, cells: measured }) =>
      cells.map((cell) => {
        const figures = measured[cellKey(cell)];
        return (
          `| ${workers} | ${cell.kind} | ${cell.connections} | ${whole(figures?.requestsPerSecond)} | ` +
          `${ms(figures?.p50)} | ${ms(figures?.p99)} | ${whole(figures?.cpuMicrosPerRequest)} | ` +
          `${whole(figures?.mainThreadMicrosPerRequest)} | ${collector(figures)} | ${database(figures)} |`
        );
      }),
    ),
  ];
}
