import { existsSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** docs/benchmarks.md: each benchmark owns the section between its two markers. */
export const REPORT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../docs/benchmarks.md");

export interface ReportSection {
  /** the section's text now, from its start marker up to its end marker (null: none yet) */
  old: string | null;
  /** writes `section` (markers included) in place of the old one, or at the end */
  replace(section: string): Promise<void>;
}

export async function reportSection(start: string, end: string): Promise<ReportSection> {
  const current = existsSync(REPORT) ? await readFile(REPORT, "utf8") : "# Benchmarks\n";
  const startAt = current.indexOf(start);
  const endAt = current.indexOf(end);
  const found = startAt >= 0 && endAt > startAt;
  return {
    old: found ? current.slice(startAt, endAt) : null,
    async replace(section) {
      const next = found
        ? `${current.slice(0, startAt)}${section}${current.slice(endAt + end.length)}`
        : `${current.trimEnd()}\n\n${section}\n`;
      await writeFile(REPORT, next);
    },
  };
}

/** The markers around a benchmark's section: `<!-- NAME-bench:start -->` and `<!-- NAME-bench:end -->`. */
export function sectionMarkers(name: string): { start: string; end: string } {
  return { start: `<!-- ${name}-bench:start -->`, end: `<!-- ${name}-bench:end -->` };
}

/** Writes a benchmark's whole section (its heading, then `body`, one line an entry) in place of the old one. */
export async function writeReportSection(name: string, heading: string, body: string[]): Promise<void> {
  const { start, end } = sectionMarkers(name);
  await (await reportSection(start, end)).replace([start, `## ${heading}`, "", ...body, end].join("\n"));
}

/**
 * BENCH_RESULTS_FILE: the benchmark writes its figures there as JSON instead of writing its
 * section of docs/benchmarks.md (`npm run bench -- --runtimes=...` compares runs this way).
 */
export const RESULTS_FILE = process.env.BENCH_RESULTS_FILE || null;

export async function writeResults(results: unknown): Promise<void> {
  if (RESULTS_FILE) await writeFile(RESULTS_FILE, JSON.stringify(results, null, 2));
}
