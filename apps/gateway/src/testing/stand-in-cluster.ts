import cluster from "node:cluster";
import { createServer } from "node:http";
import { joinPrimary } from "../cluster/primary-link.ts";
import { runPrimary } from "../cluster/run-primary.ts";
import { processMetricsRegistry } from "../metrics/process-metrics.ts";

/**
 * For cluster/primary-metrics.test.ts: the real primary (cluster/run-primary.ts) over stand-in
 * workers that load none of the app (no database, no Redis), so that the primary's bookkeeping
 * is seen in seconds. A stand-in worker shares its process series as a gateway worker does, under its
 * `worker` label; it answers GET /metrics with the cluster's exposition, and when the primary
 * stops it, prints that exposition (a line `{"msg":"exposition at shutdown","text":…}`) before
 * it exits: what the primary counts during a stop can be read no other way, since a stopping
 * gateway refuses requests.
 *
 * Environment: GATEWAY_PORT; RESTART_DELAY_MS, how long the primary waits before replacing a
 * worker that died.
 */
if (cluster.isPrimary) {
  const delayMs = Number(process.env.RESTART_DELAY_MS);
  runPrimary({
    workers: 2,
    logLevel: "info",
    restarts: { maxPerMinute: 10, baseDelayMs: delayMs, maxDelayMs: delayMs },
  });
} else {
  serveAsStandInWorker(Number(process.env.GATEWAY_WORKER_SLOT), Number(process.env.GATEWAY_PORT));
}

function serveAsStandInWorker(slot: number, port: number) {
  const primary = joinPrimary(slot);
  const processSeries = processMetricsRegistry();
  processSeries.setDefaultLabels({ worker: String(slot) });
  primary.shareSeries([processSeries]);
  const server = createServer((request, response) => {
    if (request.url !== "/metrics") {
      response.writeHead(404).end();
      return;
    }
    primary.clusterExposition().then(
      (text) => response.writeHead(200, { "content-type": "text/plain" }).end(text),
      (error: Error) => response.writeHead(500).end(error.message),
    );
  });
  primary.followStops({
    shutdown() {
      primary.clusterExposition().then(
        (text) => {
          process.stdout.write(`${JSON.stringify({ msg: "exposition at shutdown", text })}\n`);
          process.exit(0);
        },
        () => process.exit(1),
      );
    },
    hurry() {
      process.exit(1);
    },
  });
  server.listen(port, "127.0.0.1", () => primary.reportListening([`http://127.0.0.1:${port}`]));
}
