import { createHash, timingSafeEqual } from "node:crypto";
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Logger } from "pino";
import { Registry } from "prom-client";
import type { WorkerMetrics } from "./worker-metrics.ts";

export interface MetricsServer {
  /** `http://host:port` */
  url: string;
  close(): Promise<void>;
}

/**
 * GET /metrics of the worker, which serves nothing else: a small node:http server on its own
 * port (WORKER_METRICS_PORT), on the loopback address unless told otherwise, asking for
 * `Authorization: Bearer $METRICS_TOKEN` as the gateway's /metrics does.
 */
export async function startMetricsServer(options: {
  metrics: WorkerMetrics;
  token: string;
  host: string;
  port: number;
  logger: Logger;
}): Promise<MetricsServer> {
  const isMetricsToken = metricsTokenCheck(options.token);
  const server = createServer((request, response) => {
    void answer(request, response).catch((error: unknown) => {
      options.logger.error({ err: error }, "metrics: exposition failed");
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("metrics unavailable\n");
    });
  });
  // a scraper's request is a few hundred bytes: nothing slow or large is waited for
  server.headersTimeout = 10_000;
  server.requestTimeout = 10_000;

  async function answer(request: IncomingMessage, response: ServerResponse) {
    const path = (request.url ?? "").split("?")[0];
    if (path !== "/metrics" || (request.method !== "GET" && request.method !== "HEAD")) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
      return;
    }
    const match = /^Bearer +(\S+) *$/i.exec(request.headers.authorization ?? "");
    if (!match?.[1] || !isMetricsToken(match[1])) {
      response
        .writeHead(401, { "content-type": "text/plain", "www-authenticate": 'Bearer realm="metrics"' })
        .end("GET /metrics needs the metrics token: Authorization: Bearer $METRICS_TOKEN.\n");
      return;
    }
    const text = await options.metrics.exposition();
    response.writeHead(200, {
      "content-type": Registry.PROMETHEUS_CONTENT_TYPE,
      "cache-control": "no-store",
    });
    response.end(request.method === "HEAD" ? undefined : text);
  }

  server.listen(options.port, options.host);
  await once(server, "listening");
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("metrics server has no address");
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  options.logger.info({ address: `${host}:${address.port}` }, "worker metrics served");
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Compares in constant time: both sides are hashed first, so neither the content nor the
 * length of the configured token shows in how long a wrong guess takes.
 */
function metricsTokenCheck(token: string): (presented: string) => boolean {
  const expected = createHash("sha256").update(token).digest();
  return (presented) => timingSafeEqual(createHash("sha256").update(presented).digest(), expected);
}
