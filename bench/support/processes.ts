import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createGcTally, type GcTotals, TRACE_GC_ARGS } from "./gc-trace.ts";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/**
 * BENCH_SERVER_NODE: the node that runs the servers (gateway, bare server, fake upstream); by
 * default the one running the benchmark. `npm run bench -- --runtimes=...` sets it per run.
 */
const SERVER_NODE = process.env.BENCH_SERVER_NODE || process.execPath;

/** A server a benchmark started in a process of its own. */
export interface Running {
  url: string;
  pid: number;
  /** what its garbage collector did so far, when it was started with `traceGc` */
  gcSoFar?: () => GcTotals;
  stop(): Promise<void>;
}

/** How `start` runs a server: `traceGc` adds V8's collection trace and keeps its totals (`Running.gcSoFar`). */
export interface StartOptions {
  traceGc?: boolean;
}

/** Where a server may run: `cpus` is a taskset CPU list ("0", "1-3"); ignored when taskset is missing. */
export interface Placement {
  cpus?: string;
}

/** taskset can pin processes here (Linux with util-linux); without it, processes run unpinned. */
export const CAN_PIN = spawnSync("taskset", ["-c", "0", "true"], { stdio: "ignore" }).status === 0;

/** The command that runs `args` with `node` (the servers' by default), pinned to `placement.cpus` when possible. */
export function nodeCommand(
  args: string[],
  placement: Placement = {},
  node: string = SERVER_NODE,
): { file: string; args: string[] } {
  // taskset execs the command, so the pid stays the node process's own (its /proc figures)
  return placement.cpus && CAN_PIN
    ? { file: "taskset", args: ["-c", placement.cpus, node, ...args] }
    : { file: node, args };
}

/**
 * Starts a node process in the repository and waits for the line that gives its URL; its output is
 * drained after, and with `traceGc` read for V8's garbage-collection trace (support/gc-trace.ts).
 */
export async function start(
  args: string[],
  env: Record<string, string>,
  pattern: RegExp,
  placement: Placement = {},
  { traceGc = false }: StartOptions = {},
): Promise<Running> {
  const command = nodeCommand(traceGc ? [...TRACE_GC_ARGS, ...args] : args, placement);
  const gc = traceGc ? createGcTally() : null;
  const child: ChildProcess = spawn(command.file, command.args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      // a server that never said where it listens is not left running behind the failed run
      child.kill("SIGKILL");
      reject(new Error(`${args.join(" ")} did not start\n${output}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      if (output.length < 100_000) output += String(chunk);
      const match = pattern.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
        // from now on its output (a log line a request) is read and dropped, searched only for
        // the collector's trace; V8 prints it on stdout
        child.stdout?.off("data", onData).resume();
        child.stderr?.off("data", onData).resume();
        if (gc) child.stdout?.setEncoding("utf8").on("data", gc.feed);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(" ")} exited with ${code}\n${output}`));
    });
  });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  return {
    url,
    pid: child.pid ?? 0,
    ...(gc ? { gcSoFar: gc.totals } : {}),
    async stop() {
      process.removeListener("exit", killOnExit);
      // a process ended by a signal has no exit code, only a signal code
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/**
 * Node flags for the servers under measurement: BENCH_PROFILE_DIR=<folder> makes each write a V8
 * CPU profile there when it stops; BENCH_NODE_ARGS="--flag ..." adds flags, for trying V8 settings.
 */
export const SERVER_NODE_ARGS = [
  ...(process.env.BENCH_PROFILE_DIR
    ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_PROFILE_DIR)}`]
    : []),
  ...(process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean),
];
