import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
  stop(): Promise<void>;
}

/** Starts a node process in the repository and waits for the line that gives its URL; its output is drained after. */
export async function start(args: string[], env: Record<string, string>, pattern: RegExp): Promise<Running> {
  const child: ChildProcess = spawn(SERVER_NODE, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(" ")} did not start\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      if (output.length < 100_000) output += String(chunk);
      const match = pattern.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
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
    async stop() {
      process.removeListener("exit", killOnExit);
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
