import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ServiceSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** polled until it answers 2xx; absent for services without HTTP */
  readyUrl?: string;
  /** how long it may take to stop after SIGTERM before it is killed (default 15 s) */
  stopGraceMs?: number;
}

export interface RunningService {
  spec: ServiceSpec;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const STOP_GRACE_MS = 15_000;

/**
 * The gateway's stop grace: its SHUTDOWN_GRACE_MS for the requests in flight, then time for the
 * streams it cuts to write their last event (5 s at most) and for its usage and chat logs to be
 * written, so that it is never killed with them unwritten.
 */
export function gatewayStopGraceMs(shutdownGraceMs: number): number {
  return shutdownGraceMs + STOP_GRACE_MS;
}

/**
 * Starts a service with its output prefixed by its name, one line at a time. It runs in a
 * process group of its own (detached), so that a terminal's Ctrl-C, which signals the whole
 * foreground group, reaches only the supervisor: the supervisor then stops the services and
 * the database in order, instead of racing them. Services must watch their parent (see
 * watch-parent.ts) so that they stop when the supervisor dies without stopping them.
 */
export function startService(spec: ServiceSpec, write: (line: string) => void): RunningService {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: spec.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const tag = `[${spec.name}]`.padEnd(12);
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => write(`${tag}${line}`));
  }
  const exited = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => resolve(code));
    child.once("error", (error) => {
      write(`${tag}could not start: ${error.message}`);
      resolve(1);
    });
  });
  return { spec, child, exited };
}

/** Resolves when the URL answers 2xx; rejects at the deadline or if the service exits first. */
export async function waitUntilReady(service: RunningService, timeoutMs = 120_000): Promise<void> {
  const url = service.spec.readyUrl;
  if (!url) return;
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void service.exited.then(() => {
    exited = true;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${service.spec.name} exited before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${service.spec.name} was not ready at ${url} within ${timeoutMs / 1000} s`);
}

/**
 * SIGTERM to each service's process group, SIGKILL to it if the service still runs after its
 * stop grace; resolves when every service has exited. Whatever a service left behind in its
 * group is killed then too, so that nothing outlives the supervisor.
 */
export async function stopServices(services: RunningService[]): Promise<void> {
  await Promise.all(
    services.map(async ({ spec, child, exited }) => {
      if (child.pid === undefined) return;
      if (child.exitCode === null && child.signalCode === null) {
        signalGroup(child.pid, "SIGTERM");
        const timer = setTimeout(
          () => signalGroup(child.pid as number, "SIGKILL"),
          spec.stopGraceMs ?? STOP_GRACE_MS,
        );
        await exited;
        clearTimeout(timer);
      }
      signalGroup(child.pid, "SIGKILL");
    }),
  );
}

function signalGroup(leader: number, signal: NodeJS.Signals) {
  try {
    process.kill(-leader, signal);
  } catch (error) {
    // ESRCH: the group is empty, everything in it has exited
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}
