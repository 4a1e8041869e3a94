import type { Registry } from "prom-client";
import {
  isPrimaryMessage,
  type PrimaryMessage,
  STOP_SIGNALS,
  type StopSignal,
  type WorkerMessage,
} from "./cluster-messages.ts";

/** How long a worker waits for the primary's sum of every worker's series before /metrics fails. */
const EXPOSITION_TIMEOUT_MS = 10_000;

/** A worker's side of the IPC channel to its primary (run-primary.ts). */
export interface PrimaryLink {
  /** this worker's place among the N (0 to N-1): the `worker` label of its process series */
  slot: number;
  /**
   * Stop signals are the primary's to decide: one sent to the whole process group (a terminal's
   * Ctrl-C, `kill -- -group`) reaches every worker as well, and must not count as two. A worker
   * passes its own on, and stops when the primary says: `shutdown` once, `hurry` on a second.
   */
  followStops(handlers: { shutdown(signal: StopSignal): void; hurry(): void }): void;
  /** tells the primary the server listens, with the URLs a single gateway would print */
  reportListening(urls: string[]): void;
  /** answers the primary's collections with these registries' series */
  shareSeries(registries: Registry[]): void;
  /** every worker's series, added up by the primary, in the text format */
  clusterExposition(): Promise<string>;
}

export function joinPrimary(slot: number): PrimaryLink {
  const send = (message: WorkerMessage) => {
    // the channel closes when the primary has gone; node:cluster then ends this worker itself.
    // A send that fails meanwhile (EPIPE) comes to the callback instead of an "error" event
    // that nothing would catch.
    if (process.connected) process.send?.(message, undefined, undefined, () => {});
  };
  const pendingExpositions = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
  let nextExposition = 0;
  let sharedRegistries: Registry[] = [];
  let stops: { shutdown(signal: StopSignal): void; hurry(): void } | null = null;

  process.on("message", (message: unknown) => {
    if (!isPrimaryMessage(message)) return;
    void answer(message);
  });

  async function answer(message: PrimaryMessage) {
    switch (message.type) {
      case "dsc:shutdown":
        stops?.shutdown(message.signal);
        return;
      case "dsc:hurry":
        stops?.hurry();
        return;
      case "dsc:metrics-collect": {
        try {
          const series = await Promise.all(sharedRegistries.map((registry) => registry.getMetricsAsJSON()));
          send({ type: "dsc:metrics-part", id: message.id, series });
        } catch (error) {
          // a collector that throws fails the scrape (a 500), as it would in a single gateway
          send({ type: "dsc:metrics-part", id: message.id, error: (error as Error).message });
        }
        return;
      }
      case "dsc:metrics-answer": {
        const pending = pendingExpositions.get(message.id);
        pendingExpositions.delete(message.id);
        if ("error" in message) pending?.reject(new Error(message.error));
        else pending?.resolve(message.text);
        return;
      }
    }
  }

  return {
    slot,
    followStops(handlers) {
      stops = handlers;
      for (const signal of STOP_SIGNALS) process.on(signal, () => send({ type: "dsc:signal", signal }));
    },
    reportListening(urls) {
      send({ type: "dsc:listening", urls });
    },
    shareSeries(registries) {
      sharedRegistries = registries;
    },
    clusterExposition() {
      const id = nextExposition++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          pendingExpositions.delete(id);
          reject(new Error("the cluster's primary did not answer with the workers' metrics in time"));
        }, EXPOSITION_TIMEOUT_MS);
        pendingExpositions.set(id, {
          resolve: (text) => {
            clearTimeout(timer);
            resolve(text);
          },
          reject: (error) => {
            clearTimeout(timer);
            reject(error);
          },
        });
        send({ type: "dsc:metrics-ask", id });
      });
    },
  };
}
