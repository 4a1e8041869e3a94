/**
 * What V8's garbage collector did in a server, read from the line `--trace-gc-nvp` prints after
 * each collection (name=value pairs on the process's stdout). A server that keeps what it should
 * drop shows here first: young-generation collections (scavenges) that promote more into the old
 * generation, and longer pauses, long before its CPU per request moves beyond a host's variation.
 */
export const TRACE_GC_ARGS = ["--trace-gc-nvp"];

/** Totals since the server started; the figures of a round are the difference of two. */
export interface GcTotals {
  /** young-generation collections (scavenges, or minor mark-sweeps) */
  minor: number;
  /** full collections (mark-compact) */
  major: number;
  /** time the collector held the main thread: each collection's pause, and a full one's incremental marking steps */
  mainThreadMs: number;
  /** bytes young-generation collections moved into the old generation */
  promotedBytes: number;
}

export const NO_GC: GcTotals = { minor: 0, major: 0, mainThreadMs: 0, promotedBytes: 0 };

// s: a scavenge; mms: the minor mark-sweep of --minor-ms
const MINOR_KINDS = new Set(["s", "mms"]);
const MAJOR_KINDS = new Set(["mc"]);

/** One collection, as its trace line gives it. */
export interface GcEvent {
  kind: "minor" | "major";
  mainThreadMs: number;
  promotedBytes: number;
}

/** The figures of one trace line, or null when `line` is not one (a log line, say). */
export function parseGcLine(line: string): GcEvent | null {
  const start = line.indexOf(" pause=");
  if (start < 0) return null;
  const pairs = new Map<string, string>();
  for (const pair of line.slice(start + 1).split(" ")) {
    const equals = pair.indexOf("=");
    if (equals > 0) pairs.set(pair.slice(0, equals), pair.slice(equals + 1));
  }
  const gc = pairs.get("gc") ?? "";
  const kind = MINOR_KINDS.has(gc) ? "minor" : MAJOR_KINDS.has(gc) ? "major" : null;
  if (!kind) return null;
  const number = (name: string) => {
    const value = Number(pairs.get(name) ?? 0);
    return Number.isFinite(value) ? value : 0;
  };
  return {
    kind,
    // a full collection marks incrementally, in steps between tasks, before its final pause
    mainThreadMs: number("pause") + (kind === "major" ? number("incremental") : 0),
    promotedBytes: kind === "minor" ? number("promoted") : 0,
  };
}

/**
 * Keeps the totals of the trace lines in a server's output, fed chunk by chunk as it arrives.
 * Only chunks holding a trace line are split into lines, so a log line a request costs one search.
 */
export function createGcTally(): { feed(chunk: string): void; totals(): GcTotals } {
  const totals = { ...NO_GC };
  let partial = "";
  return {
    feed(chunk) {
      const text = partial + chunk;
      const lastNewline = text.lastIndexOf("\n");
      // what follows the last newline may be the start of a trace line; a log line's tail is dropped
      const tail = text.slice(lastNewline + 1);
      partial = tail.includes(" pause=") || tail.length < 64 ? tail : "";
      if (lastNewline < 0 || !text.includes(" pause=")) return;
      for (const line of text.slice(0, lastNewline).split("\n")) {
        const figures = parseGcLine(line);
        if (!figures) continue;
        totals[figures.kind]++;
        totals.mainThreadMs += figures.mainThreadMs;
        totals.promotedBytes += figures.promotedBytes;
      }
    },
    totals: () => ({ ...totals }),
  };
}
