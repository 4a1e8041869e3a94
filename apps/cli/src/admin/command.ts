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

/** A command's option: `--org ORG_ID` (`text`, or `required`) or a flag such as `--unlimited`. */
export interface OptionSpec {
  type: "string" | "boolean";
  /** the runner refuses the command line without it, before the command runs */
  required?: boolean;
}

export const text = { type: "string" } as const;
export const required = { type: "string", required: true } as const;
export const flag = { type: "boolean" } as const;

export type OptionSpecs = Record<string, OptionSpec>;

/** The parsed options: required ones are strings, flags booleans, other strings may be absent. */
export type OptionValues<O extends OptionSpecs> = {
  [name in keyof O]: O[name]["type"] extends "boolean"
    ? boolean | undefined
    : O[name]["required"] extends true
      ? string
      : string | undefined;
};

export interface CommandInput<V = Values> {
  values: V;
  /** the one positional argument of a command that declares it, else "" */
  argument: string;
}

export interface AdminCommand {
  /** e.g. "key create" */
  name: string;
  usage: string;
  /** none when absent */
  options?: OptionSpecs;
  /** what the command's one positional argument is, e.g. "key id"; without it, it takes none */
  argument?: string;
  run(platform: Platform, input: CommandInput, out: Output): Promise<void>;
}

/** A command as written: its `run` sees its options' values typed from their specs. */
export interface AdminCommandSpec<O extends OptionSpecs> extends Omit<AdminCommand, "options" | "run"> {
  options?: O;
  run(platform: Platform, input: CommandInput<OptionValues<O>>, out: Output): Promise<void>;
}

export function adminCommand<const O extends OptionSpecs = Record<never, OptionSpec>>(
  command: AdminCommandSpec<O>,
): AdminCommand {
  // the runner checks required options before `run`, which makes the typed view true
  return command as unknown as AdminCommand;
}

/**
 * Checks what the command line must hold whatever the command does: its one positional
 * argument, or none, and its required options. Throws UsageError with the first thing missing.
 */
export function commandInput(command: AdminCommand, values: Values, positionals: string[]): CommandInput {
  if (command.argument === undefined && positionals.length > 0) {
    throw new UsageError(`unexpected argument "${positionals[0]}"`);
  }
  if (command.argument !== undefined && (positionals.length !== 1 || !positionals[0])) {
    throw new UsageError(`expected exactly one ${command.argument}`);
  }
  for (const [name, spec] of Object.entries(command.options ?? {})) {
    if (spec.required) requiredString(values, name);
  }
  return { values, argument: positionals[0] ?? "" };
}

/** The options as `node:util` parseArgs takes them. */
export function parseArgsOptions(command: AdminCommand): NonNullable<ParseArgsConfig["options"]> {
  return Object.fromEntries(
    Object.entries(command.options ?? {}).map(([name, { type }]) => [name, { type }]),
  );
}

/** For options required only in some cases; `required` options are checked before the command runs. */
export function requiredString(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== "string" || value.trim() === "") throw new UsageError(`--${name} is required`);
  return value;
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
export function optionalDuration(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  return value.trim() === "0" ? 0 : parseDuration(value, name);
}
