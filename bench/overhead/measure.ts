import { setTimeout as sleep } from "node:timers/promises";
import type { GcTotals } from "../support/gc-trace.ts";
import {
  type CoreSoFar,
  coresSoFar,
  cpuAddedBetween,
  processCpuBetween,
  processesCpuSoFar,
  treeCpuSoFar,
} from "../support/process-cpu.ts";
import type { LoadGenerator, RoundFigures } from "./load-rounds.ts";
import { type BodyKind, CHAT_PATH, type Target } from "./targets.ts";

/** One cell of the tables: a body kind at a number of connections. */
export interface Cell {
  kind: BodyKind;
  connections: number;
}

/** A round's figures with the server's CPU per request during it (µs; null off Linux). */
export interface CellFigures extends RoundFigures {
  cpuMicrosPerRequest: number | null;
  mainThreadMicrosPerRequest: number | null;
  /** the database's CPU per request (its connections, the server's background processes), the round and its settling included; null when not measured */
  databaseMicrosPerRequest: number | null;
  /** the time the garbage collector held the server's main thread, per request (µs); null when not traced */
  gcMicrosPerRequest: number | null;
  /** bytes its young-generation collections promoted into the old generation, per request; null when not traced */
  promotedBytesPerRequest: number | null;
  /** full collections (mark-compact) during the round: one makes its round's CPU an outlier; null when not traced */
  fullCollections: number | null;
  /**
   * CPU the server's core spent on anything but the server during the round, per request: the
   * other servers' background work (a collection, a writer's batch, a timer), the kernel's
   * interrupts, a process not pinned; what the server waited for. Null when the server is not pinned.
   */
  othersOnCoreMicrosPerRequest: number | null;
  /** time the hypervisor gave the server's core to another machine while it had work, per request */
  stealMicrosPerRequest: number | null;
  /**
   * The share of the round the load side's core (load generator, fake upstream) was idle: near
   * zero, the load side and not the server set the pace, and the server got fewer requests per
   * wake-up than it could take. Null when nothing is pinned.
   */
  loadCoreIdleShare: number | null;
}

/** The cores a pinned run puts the server on, and the load generator and fake upstream on. */
export interface Cores {
  server: number;
  load: number;
}

/** The database a target writes to, its CPU read from /proc, and how long its writes trail a round. */
export interface DatabaseServer {
  /** the processes whose CPU is this run's database work: its connections and the server's background workers */
  processes(): Promise<number[]>;
  settleMs: number;
}

export interface RoundLimits {
  /** requests per round at one connection, and at more */
  requestsAtOne: number;
  requests: number;
  maxSeconds: number;
}

/**
 * One closed-loop round against a target, with the CPU its server (and children, a cluster's
 * workers) used meanwhile, read from /proc before and after; with `database`, the database
 * server's too, until `settleMs` after the round, since the gateway writes in batches afterwards.
 */
export async function measureCell(
  generator: LoadGenerator,
  target: Target,
  cell: Cell,
  limits: RoundLimits,
  database: DatabaseServer | null = null,
  cores: Cores | null = null,
): Promise<CellFigures> {
  const databaseBefore = database ? await processesCpuSoFar(await database.processes()) : null;
  const before = await treeCpuSoFar(target.server.pid);
  const gcBefore = target.server.gcSoFar?.();
  // the cores are read right around the round: the reads of /proc above run on the load side's core
  const readCores = async () => (cores ? coresSoFar([cores.server, cores.load]) : []);
  const [coreBefore = null, loadCoreBefore = null] = await readCores();
  const startedAt = performance.now();
  const figures = await generator.run({
    url: target.server.url,
    path: CHAT_PATH,
    headers: { "content-type": "application/json", ...target.headers },
    body: target.bodies[cell.kind],
    connections: cell.connections,
    requests: cell.connections === 1 ? limits.requestsAtOne : limits.requests,
    maxSeconds: limits.maxSeconds,
    stream: cell.kind === "stream",
  });
  const roundMicros = (performance.now() - startedAt) * 1e3;
  const [coreAfter = null, loadCoreAfter = null] = await readCores();
  const after = await treeCpuSoFar(target.server.pid);
  const gc =
    gcBefore && target.server.gcSoFar ? gcBetween(gcBefore, target.server.gcSoFar(), figures.requests) : null;
  let databaseMicrosPerRequest: number | null = null;
  if (database && databaseBefore && databaseBefore.size > 0) {
    await sleep(database.settleMs);
    const databaseAfter = await processesCpuSoFar(await database.processes());
    databaseMicrosPerRequest = cpuAddedBetween(databaseBefore, databaseAfter) / figures.requests;
  }
  const cpuMicros = before && after ? processCpuBetween(before, after) : null;
  return {
    ...figures,
    databaseMicrosPerRequest,
    cpuMicrosPerRequest: cpuMicros === null ? null : cpuMicros / figures.requests,
    mainThreadMicrosPerRequest:
      before && after ? (after.mainThread - before.mainThread) / figures.requests : null,
    gcMicrosPerRequest: gc?.micros ?? null,
    promotedBytesPerRequest: gc?.promotedBytes ?? null,
    fullCollections: gc?.fullCollections ?? null,
    ...coreFigures(coreBefore, coreAfter, cpuMicros, figures.requests),
    loadCoreIdleShare:
      loadCoreBefore && loadCoreAfter
        ? Math.max(0, 1 - (loadCoreAfter.busy - loadCoreBefore.busy) / roundMicros)
        : null,
  };
}

/** What else the server's core did during the round, per request. */
function coreFigures(
  before: CoreSoFar | null,
  after: CoreSoFar | null,
  serverMicros: number | null,
  requests: number,
): Pick<CellFigures, "othersOnCoreMicrosPerRequest" | "stealMicrosPerRequest"> {
  if (!before || !after || serverMicros === null)
    return { othersOnCoreMicrosPerRequest: null, stealMicrosPerRequest: null };
  // the core's ticks are sampled and the server's time exact: a round can come out a little below zero
  const others = Math.max(0, after.busy - before.busy - serverMicros);
  return {
    othersOnCoreMicrosPerRequest: others / requests,
    stealMicrosPerRequest: (after.steal - before.steal) / requests,
  };
}

/** The collector's work between two readings, per request. */
function gcBetween(before: GcTotals, after: GcTotals, requests: number) {
  return {
    micros: ((after.mainThreadMs - before.mainThreadMs) * 1000) / requests,
    promotedBytes: (after.promotedBytes - before.promotedBytes) / requests,
    fullCollections: after.major - before.major,
  };
}

/** Each figure's median over the rounds, taken figure by figure. */
export function medianFigures(rounds: CellFigures[]): CellFigures {
  const median = (values: (number | null)[]) => {
    const known = values.filter((value): value is number => value !== null).sort((a, b) => a - b);
    return known.length === 0 ? null : (known[Math.floor(known.length / 2)] as number);
  };
  const first = rounds[0];
  if (!first) throw new Error("no rounds to take the median of");
  const result = { ...first };
  for (const key of Object.keys(first) as (keyof CellFigures)[]) {
    (result as Record<string, number | null>)[key] = median(rounds.map((round) => round[key]));
  }
  return result;
}
