import type { ParseArgsConfig } from "node:util";
import { parseDuration } from "@dsc/core";
import type { Platform } from "../platform.ts";

/** A bad command line: the CLI prints one line and exits with status 2. */
export class UsageError extends Error {}

export interface Output {
  json: boolean;
  /** Prints `human` for people, or `value` as one JSON document with --json. */
  result(human: string, value: unknown): void;
  /** Progress for people; silent with --json so that stdout stays parseable. */
  note(message: string): void;
}

export type Values = Record<string, string | boolean | undefined>;

export interface AdminCommand {
  /** e.g. "key create" */
  name: string;
  usage: string;
  options: NonNullable<ParseArgsConfig["options"]>;
  /** commands such as migrate only need the database, not a connected client */
  run(platform: Platform, values: Values, positionals: string[], out: Output): Promise<void>;
}

export function requiredString(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
}

export function optionalString(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === "string" ? value : undefined;
}

export function onePositional(positionals: string[], what: string): string {
  if (positionals.length !== 1 || !positionals[0]) throw new UsageError(`expected exactly one ${what}`);
  return positionals[0];
}

export function noPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
}

/** A plain text table for people. */
export function table(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return "(none)";
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

export const iso = (date: Date | null) => (date ? date.toISOString() : "-");

/** A duration such as `24h`, or `0`; undefined when the option is absent. */
export function optionalDuration(values: Values, name: string): number | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  return text.trim() === "0" ? 0 : parseDuration(text, name);
}
