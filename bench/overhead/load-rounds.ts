import { spawn } from "node:child_process";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { nodeCommand, type Placement } from "../support/processes.ts";

const GENERATOR = path.join(path.dirname(fileURLToPath(import.meta.url)), "load-generator.mjs");

/** One closed-loop round as the load generator runs it. */
export interface Round {
  url: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  connections: number;
  /** at most this many requests ... */
  requests: number;
  /** ... and no new one after this many seconds */
  maxSeconds: number;
  stream: boolean;
}

/** What a round measured, from the client's side; times in ms. */
export interface RoundFigures {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  mean: number;
  /** from sending the request to the first chunk of its body */
  firstByteP50: number;
  firstByteP99: number;
}

export interface LoadGenerator {
  run(round: Round): Promise<RoundFigures>;
  stop(): Promise<void>;
}

/** Starts bench/overhead/load-generator.mjs (on `placement`) and runs rounds through it, one at a time. */
export async function startLoadGenerator(placement: Placement): Promise<LoadGenerator> {
  // the benchmark's own node, not BENCH_SERVER_NODE: comparing runtimes changes the servers, not the load
  const command = nodeCommand([GENERATOR], placement, process.execPath);
  const child = spawn(command.file, command.args, { stdio: ["pipe", "pipe", "inherit"] });
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const line = await lines.next();
    if (line.done) throw new Error(`the load generator exited (${child.exitCode ?? child.signalCode})`);
    return line.value;
  };
  if ((await nextLine()) !== "ready") throw new Error("the load generator did not start");
  return {
    async run(round) {
      child.stdin.write(`${JSON.stringify(round)}\n`);
      const figures = JSON.parse(await nextLine()) as RoundFigures | { error: string };
      if ("error" in figures) throw new Error(`${round.url}${round.path}: ${figures.error}`);
      return figures;
    },
    async stop() {
      process.removeListener("exit", killOnExit);
      // a process ended by a signal has no exit code, only a signal code
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.stdin.end();
      await exited;
    },
  };
}
