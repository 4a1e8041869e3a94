import { collectDefaultMetrics, Registry } from "prom-client";

let processRegistry: Registry | null = null;

/**
 * The process and runtime series (CPU, memory, heap, handles, garbage collection, event-loop
 * delay), under their usual unprefixed names (`process_*`, `nodejs_*`). They describe the
 * process, not a gateway, so there is one such registry per process however many gateways
 * (or test gateways) it builds: each collector starts a timer and a GC observer that live as
 * long as the process. Never prom-client's global registry, which anything may write to.
 *
 * The event-loop gauges (`nodejs_eventloop_lag_p50_seconds`, `_p99_`, `_max_`, …) are read
 * from a 10 ms timer and restart at each scrape: an idle loop reads about 0.01 s, the timer's
 * own interval; what a stall adds shows on top of that.
 */
export function processMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, eventLoopMonitoringPrecision: 10 });
  }
  return processRegistry;
}
