import cluster, { type Worker } from "node:cluster";
import { pino } from "pino";
import { Counter, Gauge, Registry } from "prom-client";
import { addUpWorkerSeries } from "./add-up-worker-series.ts";
import {
  isWorkerMessage,
  type PrimaryMessage,
  STOP_SIGNALS,
  type StopSignal,
  type WorkerMessage,
  type WorkerSeries,
} from "./cluster-messages.ts";
import { createRestartBudget, type RestartBudgetOptions } from "./restart-budget.ts";

export interface PrimaryOptions {
  workers: number;
  logLevel: string;
  restarts?: RestartBudgetOptions;
}

// a worker that dies now and then is replaced at once; one that dies on every start is not forked forever
const RESTARTS: RestartBudgetOptions = { maxPerMinute: 10, baseDelayMs: 250, maxDelayMs: 5_000 };
// a scrape waits this long for every worker's series, then fails rather than give a partial sum
const COLLECTION_TIMEOUT_MS = 5_000;

interface Slot {
  index: number;
  worker: Worker | null;
  /** its server listens: it may have taken connections, so it is stopped gracefully */
  isListening: boolean;
  /** still starting when the pool stopped, so killed: its exit is no failure */
  isKilled: boolean;
  restartTimer: NodeJS.Timeout | null;
}

interface Collection {
  pending: Set<number>;
  parts: WorkerSeries;
  finish(error: Error | null): void;
}

/**
 * The cluster's primary (GATEWAY_WORKERS > 1): forks the workers, which share the port, and
 * keeps them. It loads no part of the app (no Prisma, no providers): only node:cluster, pino
 * and prom-client's aggregation. It
 * - prints "Server listening at …" once every worker listens (what npm start, the benchmarks
 *   and tests wait for), with the URLs the first worker would have printed alone;
 * - replaces a worker that dies, after a short backoff, and gives up (exit 1) past a number of
 *   restarts a minute (restart-budget.ts); a worker that dies before the pool was first up is a
 *   start-up failure (a bad setting, a database out of reach): the primary stops and exits
 *   with its code (2 for the environment);
 * - on SIGTERM or SIGINT tells each worker to shut down as a single gateway does (a second
 *   signal: to cut what still runs), and exits 0 once they all exited 0;
 * - answers a worker's GET /metrics with every worker's series added up.
 */
export function runPrimary(options: PrimaryOptions): void {
  const logger = pino({ level: options.logLevel, base: { service: "gateway", role: "primary" } });
  const restarts = createRestartBudget(options.restarts ?? RESTARTS);
  const slots: Slot[] = Array.from({ length: options.workers }, (_, index) => ({
    index,
    worker: null,
    isListening: false,
    isKilled: false,
    restartTimer: null,
  }));
  const slotOf = new Map<number, Slot>();
  const series = primarySeries(slots);
  const collections = new Map<number, Collection>();
  let nextCollection = 0;
  let isUp = false;
  let isStopping = false;
  let exitCode = 0;
  let ownSignals = 0;
  let firstUrls: string[] | null = null;
  const reported = new Set<number>();

  function fork(slot: Slot) {
    slot.restartTimer = null;
    slot.isListening = false;
    const worker = cluster.fork({ GATEWAY_WORKER_SLOT: String(slot.index) });
    slot.worker = worker;
    slotOf.set(worker.id, slot);
    // a message to a worker that is dying fails (EPIPE) with an "error" event on its Worker,
    // which would take the primary, and every other worker, down if nobody listened
    worker.on("error", (error) => {
      logger.warn({ err: error, worker: slot.index }, "a message to a gateway worker could not be sent");
    });
  }

  function send(worker: Worker, message: PrimaryMessage) {
    if (worker.isConnected()) worker.send(message);
  }

  function stop(reason: string, code: number) {
    exitCode = Math.max(exitCode, code);
    if (isStopping) return;
    isStopping = true;
    logger.info({ reason }, "stopping the gateway workers");
    for (const slot of slots) {
      if (slot.restartTimer) clearTimeout(slot.restartTimer);
      slot.restartTimer = null;
      if (!slot.worker) continue;
      // one still starting has taken no connection and holds nothing to write
      if (slot.isListening) send(slot.worker, { type: "dsc:shutdown", signal: signalOf(reason) });
      else {
        slot.isKilled = true;
        slot.worker.process.kill("SIGKILL");
      }
    }
    exitWhenAllExited();
  }

  function exitWhenAllExited() {
    if (isStopping && slots.every((slot) => slot.worker === null)) {
      logger.info({ exitCode }, "every gateway worker has exited");
      process.exit(exitCode);
    }
  }

  function onOwnSignal(signal: StopSignal) {
    ownSignals += 1;
    if (ownSignals === 1) {
      stop(signal, 0);
      return;
    }
    logger.warn({ signal }, "second signal: the workers cut what is still running now");
    for (const slot of slots) if (slot.worker && slot.isListening) send(slot.worker, { type: "dsc:hurry" });
  }

  function onMessage(worker: Worker, message: WorkerMessage) {
    const slot = slotOf.get(worker.id);
    switch (message.type) {
      case "dsc:listening":
        if (!slot) return;
        // the worker's own word, not cluster's "listening" event: a listen callback runs before
        // cluster sends that event, so the two could reach the primary in either order, and the
        // gauge, the scrape's targets and this line would not agree
        slot.isListening = true;
        logger.info({ worker: slot.index, pid: worker.process.pid }, "gateway worker listening");
        firstUrls ??= message.urls;
        reported.add(slot.index);
        if (!isUp && !isStopping && reported.size === slots.length) {
          isUp = true;
          for (const url of firstUrls) logger.info(`Server listening at ${url}`);
        }
        return;
      case "dsc:signal":
        // the same signal often reached the primary too (a process group's): it counts once
        if (!isStopping) stop(message.signal, 0);
        return;
      case "dsc:metrics-ask":
        collectSeries().then(
          (text) => send(worker, { type: "dsc:metrics-answer", id: message.id, text }),
          (error: Error) =>
            send(worker, { type: "dsc:metrics-answer", id: message.id, error: error.message }),
        );
        return;
      case "dsc:metrics-part": {
        const collection = collections.get(message.id);
        if (!collection?.pending.delete(worker.id)) return;
        if ("error" in message) {
          collection.finish(new Error(`a gateway worker could not collect its metrics: ${message.error}`));
          return;
        }
        collection.parts.push(...message.series);
        if (collection.pending.size === 0) collection.finish(null);
        return;
      }
    }
  }

  function onExit(worker: Worker, code: number | null, signal: string | null) {
    const slot = slotOf.get(worker.id);
    slotOf.delete(worker.id);
    // a worker gone mid-scrape leaves its series out: they are gone from the cluster too
    for (const collection of collections.values()) {
      if (collection.pending.delete(worker.id) && collection.pending.size === 0) collection.finish(null);
    }
    if (!slot) return;
    slot.worker = null;
    slot.isListening = false;
    if (isStopping) {
      if (code !== 0 && !slot.isKilled) {
        logger.error({ worker: slot.index, pid: worker.process.pid, code, signal }, "gateway worker exited");
        exitCode = Math.max(exitCode, 1);
      }
      exitWhenAllExited();
      return;
    }
    logger.error(
      { worker: slot.index, pid: worker.process.pid, code, signal },
      isUp ? "gateway worker died" : "gateway worker failed to start",
    );
    if (!isUp) {
      stop("start-up failed", code === 2 ? 2 : 1);
      return;
    }
    const delay = restarts.nextRestart(Date.now());
    if (delay === null) {
      logger.fatal("gateway workers keep dying: giving up");
      stop("too many restarts", 1);
      return;
    }
    // counted when the replacement is forked: a stop within the delay cancels it
    slot.restartTimer = setTimeout(() => {
      series.restarts.inc();
      fork(slot);
    }, delay);
  }

  function collectSeries(): Promise<string> {
    const id = nextCollection++;
    const targets = slots.flatMap((slot) =>
      slot.worker?.isConnected() && slot.isListening ? [slot.worker] : [],
    );
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => collection.finish(new Error("a gateway worker did not send its metrics in time")),
        COLLECTION_TIMEOUT_MS,
      );
      const collection: Collection = {
        pending: new Set(targets.map((worker) => worker.id)),
        parts: [],
        finish(error) {
          clearTimeout(timer);
          collections.delete(id);
          if (error) {
            reject(error);
            return;
          }
          series.registry
            .getMetricsAsJSON()
            .then((own) => addUpWorkerSeries([...collection.parts, own]))
            .then(resolve, reject);
        },
      };
      collections.set(id, collection);
      for (const worker of targets) send(worker, { type: "dsc:metrics-collect", id });
      if (collection.pending.size === 0) collection.finish(null);
    });
  }

  cluster.on("message", (worker, message: unknown) => {
    if (isWorkerMessage(message)) onMessage(worker, message);
  });
  cluster.on("exit", onExit);
  for (const signal of STOP_SIGNALS) process.on(signal, () => onOwnSignal(signal));
  logger.info({ workers: options.workers, pid: process.pid }, "starting gateway workers");
  for (const slot of slots) fork(slot);
}

/** The primary's own series, added to the workers' at each scrape. */
function primarySeries(slots: Slot[]) {
  const registry = new Registry();
  new Gauge({
    name: "dsc_gateway_workers",
    help: "Gateway worker processes serving the port (GATEWAY_WORKERS when all are up)",
    registers: [registry],
    collect() {
      this.set(slots.filter((slot) => slot.isListening).length);
    },
  });
  const restarts = new Counter({
    name: "dsc_gateway_worker_restarts_total",
    help: "Gateway workers the primary replaced after they died",
    registers: [registry],
  });
  return { registry, restarts };
}

function signalOf(reason: string): StopSignal {
  return reason === "SIGINT" ? "SIGINT" : "SIGTERM";
}
