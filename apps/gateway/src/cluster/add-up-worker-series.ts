import { AggregatorRegistry } from "prom-client";
import type { WorkerSeries } from "./cluster-messages.ts";

/**
 * The cluster's exposition: every worker's series (and the primary's own) added up, each as
 * its `aggregator` says (counters and histograms summed). A series whose samples each carry a
 * `worker` label (the process series, serve-gateway.ts) is never merged across workers, so it
 * is kept whatever its aggregator: prom-client marks `process_start_time_seconds` "omit",
 * since a sum of start times means nothing, which would drop it from the cluster altogether.
 */
export function addUpWorkerSeries(parts: WorkerSeries): Promise<string> {
  return AggregatorRegistry.aggregate(parts.map(keepingPerWorkerSeries)).metrics();
}

function keepingPerWorkerSeries(registry: WorkerSeries[number]): WorkerSeries[number] {
  return registry.map((metric) =>
    metric.aggregator === "omit" && metric.values.every((sample) => sample.labels.worker !== undefined)
      ? { ...metric, aggregator: "first" }
      : metric,
  );
}
