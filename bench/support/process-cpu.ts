import { readdir, readFile } from "node:fs/promises";

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux this runs on

/** CPU a process has used so far, in µs. */
export interface CpuSoFar {
  /** every thread of the process (event loop, GC helpers, libuv and worker pools), from /proc/<pid>/stat */
  process: number;
  /** its main (event-loop) thread alone, from /proc/<pid>/task/<pid>/schedstat */
  mainThread: number;
  /** its threads alive now, each from its schedstat: to the ns, but without threads that ended */
  liveThreads: number;
}

/** stat counts in clock ticks of 10 ms: two of them are within its rounding */
const TICK_ROUNDING_MICROS = (2 * 1e6) / CLOCK_TICKS_PER_SECOND;

/**
 * The process CPU used between two reads: the live threads' schedstat, precise to the ns, unless
 * threads ended in between (their time is then missing there), when stat's ticks say more.
 */
export function processCpuBetween(before: CpuSoFar, after: CpuSoFar): number {
  const ticks = after.process - before.process;
  const threads = after.liveThreads - before.liveThreads;
  return threads < ticks - TICK_ROUNDING_MICROS ? ticks : threads;
}

/** The CPU of every thread of a process alive now, in µs, from each one's schedstat (ns). */
async function liveThreadsCpu(pid: number): Promise<number> {
  let nanoseconds = 0;
  for (const task of await readdir(`/proc/${pid}/task`)) {
    const schedstat = await readFile(`/proc/${pid}/task/${task}/schedstat`, "utf8").catch(() => "0");
    nanoseconds += Number(schedstat.split(" ")[0]);
  }
  return nanoseconds / 1e3;
}

/** CPU used so far by a process: all threads (stat) and its main thread (schedstat); null off Linux. */
export async function cpuSoFar(pid: number): Promise<CpuSoFar | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    // fields after the command name, which may hold spaces, in parentheses
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
    const schedstat = await readFile(`/proc/${pid}/task/${pid}/schedstat`, "utf8");
    const mainThreadNs = Number(schedstat.split(" ")[0]);
    return {
      process: (ticks * 1e6) / CLOCK_TICKS_PER_SECOND,
      mainThread: mainThreadNs / 1e3,
      liveThreads: await liveThreadsCpu(pid),
    };
  } catch {
    return null;
  }
}

/** The pids of a process's children, read from every process's stat (its 4th field is the parent). */
async function childrenOf(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, "utf8").catch(() => null);
    if (stat && Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === pid)
      children.push(Number(entry));
  }
  return children;
}

/**
 * CPU used so far by a process and its children (a cluster's primary and its workers): the sum of
 * their figures, the main thread being each process's own. Children that exit between two reads
 * drop out of the sum, so compare reads of a tree whose processes live through the measurement.
 */
export async function treeCpuSoFar(pid: number): Promise<CpuSoFar | null> {
  const own = await cpuSoFar(pid);
  if (!own) return null;
  for (const child of await childrenOf(pid).catch(() => [])) {
    const theirs = await cpuSoFar(child);
    if (!theirs) continue;
    own.process += theirs.process;
    own.mainThread += theirs.mainThread;
    own.liveThreads += theirs.liveThreads;
  }
  return own;
}

/** CPU used so far by each of these single-threaded processes (PostgreSQL's), in µs, by pid. */
export async function processesCpuSoFar(pids: readonly number[]): Promise<Map<number, number>> {
  const byPid = new Map<number, number>();
  for (const pid of pids) {
    const cpu = await cpuSoFar(pid);
    if (cpu) byPid.set(pid, cpu.mainThread);
  }
  return byPid;
}

/**
 * What processes used between two reads: a process there both times, its difference; one started
 * since, all of its CPU. One that ended in between is missing (its CPU cannot be read any more),
 * so the figure may fall short, never below zero, as a sum over a changing set would.
 */
export function cpuAddedBetween(before: Map<number, number>, after: Map<number, number>): number {
  let micros = 0;
  for (const [pid, used] of after) micros += Math.max(0, used - (before.get(pid) ?? 0));
  return micros;
}

/** What one core has done so far, in µs, from its line of /proc/stat. */
export interface CoreSoFar {
  /** running anything: user, nice, system, irq and softirq time */
  busy: number;
  /** time the hypervisor ran something else on it while it had work (a virtual machine's) */
  steal: number;
}

/**
 * What each of `cores` has done so far, from one read of /proc/stat (clock ticks of 10 ms); null
 * for a core it does not list (off Linux).
 */
export async function coresSoFar(cores: readonly number[]): Promise<(CoreSoFar | null)[]> {
  const lines = (await readFile("/proc/stat", "utf8").catch(() => "")).split("\n");
  return cores.map((core) => {
    const line = lines.find((candidate) => candidate.startsWith(`cpu${core} `));
    if (!line) return null;
    // cpuN user nice system idle iowait irq softirq steal guest guest_nice
    const ticks = line.split(/\s+/).slice(1).map(Number);
    const at = (field: number) => ((ticks[field] ?? 0) * 1e6) / CLOCK_TICKS_PER_SECOND;
    return { busy: at(0) + at(1) + at(2) + at(5) + at(6), steal: at(7) };
  });
}
