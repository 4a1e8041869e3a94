import type { Registry } from "prom-client";

/**
 * What the primary and its workers say to each other over the cluster's IPC channel. Every
 * type is prefixed, so that other users of the channel (none today) are told apart.
 */

/** A worker's series as `registry.getMetricsAsJSON()` gives them, one array per registry. */
export type WorkerSeries = Awaited<ReturnType<Registry["getMetricsAsJSON"]>>[];

export type WorkerMessage =
  /** the worker's server listens: the URLs the single gateway would have printed */
  | { type: "dsc:listening"; urls: string[] }
  /** the worker itself got a stop signal (sent to it alone, or to the process group) */
  | { type: "dsc:signal"; signal: StopSignal }
  /** GET /metrics reached this worker: it asks for every worker's series, added up */
  | { type: "dsc:metrics-ask"; id: number }
  /** its own series, for the primary's collection `id` */
  | { type: "dsc:metrics-part"; id: number; series: WorkerSeries }
  /** a worker could not collect its series: the scrape fails rather than leave it out */
  | { type: "dsc:metrics-part"; id: number; error: string };

export type PrimaryMessage =
  /** stop as the single gateway stops on this signal (draining, grace, writers flushed) */
  | { type: "dsc:shutdown"; signal: StopSignal }
  /** a second signal: cut what still runs, as the single gateway's second signal does */
  | { type: "dsc:hurry" }
  /** send your series for collection `id` */
  | { type: "dsc:metrics-collect"; id: number }
  /** the answer to a worker's metrics-ask: every worker's series in the text format, or why not */
  | { type: "dsc:metrics-answer"; id: number; text: string }
  | { type: "dsc:metrics-answer"; id: number; error: string };

export type StopSignal = "SIGTERM" | "SIGINT";
export const STOP_SIGNALS: readonly StopSignal[] = ["SIGTERM", "SIGINT"];

export function isWorkerMessage(message: unknown): message is WorkerMessage {
  return isDscMessage(message);
}

export function isPrimaryMessage(message: unknown): message is PrimaryMessage {
  return isDscMessage(message);
}

function isDscMessage(message: unknown): boolean {
  return (
    typeof message === "object" &&
    message !== null &&
    typeof (message as { type?: unknown }).type === "string" &&
    (message as { type: string }).type.startsWith("dsc:")
  );
}
