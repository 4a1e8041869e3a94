import { monitorEventLoopDelay } from "node:perf_hooks";
import type { MetricSample } from "../limits/metering.ts";

export interface EventLoopDelayMetrics {
  /** the delay percentiles since the last call (each scrape starts a new window) */
  samples(): MetricSample[];
  close(): void;
}

/**
 * How late the event loop ran a 10 ms timer, as the usual Node.js gauges
 * (`nodejs_eventloop_lag_*_seconds`): every request waits behind whatever holds the loop, so
 * its p99 and max are where a gateway's tail latency shows first (garbage collection, a batch
 * prepared in one go). The window restarts at each scrape.
 */
export function createEventLoopDelayMetrics(): EventLoopDelayMetrics {
  const resolutionMs = 10;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  const gauge = (name: string, help: string, nanoseconds: number): MetricSample => ({
    name,
    help,
    type: "gauge",
    // the histogram holds whole timer intervals (an idle loop reads 10 ms): the lag is the excess.
    // An empty window (no timer ran yet) reads as 0, not as the histogram's sentinel values.
    value: histogram.count === 0 ? 0 : Math.max(0, nanoseconds / 1e6 - resolutionMs) / 1e3,
  });
  return {
    samples() {
      const samples = [
        gauge(
          "nodejs_eventloop_lag_p50_seconds",
          "Event loop delay, median since the last scrape",
          histogram.percentile(50),
        ),
        gauge(
          "nodejs_eventloop_lag_p99_seconds",
          "Event loop delay, 99th percentile since the last scrape",
          histogram.percentile(99),
        ),
        gauge(
          "nodejs_eventloop_lag_max_seconds",
          "Event loop delay, maximum since the last scrape",
          histogram.max,
        ),
      ];
      histogram.reset();
      return samples;
    },
    close() {
      histogram.disable();
    },
  };
}
