import { Counter, collectDefaultMetrics, Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { addUpWorkerSeries } from "./add-up-worker-series.ts";

/** Two workers' registries as serve-gateway.ts builds them: the app's, and the process series under `worker`. */
function workerRegistries(slot: number, chats: number) {
  const app = new Registry();
  new Counter({ name: "dsc_chats_total", help: "chats", registers: [app] }).inc(chats);
  const processSeries = new Registry();
  collectDefaultMetrics({ register: processSeries });
  processSeries.setDefaultLabels({ worker: String(slot) });
  return [app, processSeries];
}

describe("the cluster's exposition", () => {
  it("sums the app's series and keeps each worker's process series, its start time included", async () => {
    const parts = await Promise.all(
      [...workerRegistries(0, 2), ...workerRegistries(1, 3)].map((registry) => registry.getMetricsAsJSON()),
    );
    const text = await addUpWorkerSeries(parts);
    expect(text).toContain("\ndsc_chats_total 5\n");
    const startedAt = Date.now() / 1000 - process.uptime();
    for (const worker of ["0", "1"]) {
      const sample = new RegExp(`\\nprocess_start_time_seconds\\{worker="${worker}"\\} (\\d+)\\n`).exec(text);
      expect(Math.abs(Number(sample?.[1]) - startedAt)).toBeLessThanOrEqual(1);
      expect(text).toMatch(new RegExp(`\\nprocess_cpu_user_seconds_total\\{worker="${worker}"\\} `));
    }
  });

  it("still leaves out a series marked omit that is not kept per worker", async () => {
    const shared = new Registry();
    collectDefaultMetrics({ register: shared });
    const text = await addUpWorkerSeries([await shared.getMetricsAsJSON(), await shared.getMetricsAsJSON()]);
    expect(text).not.toContain("process_start_time_seconds");
    expect(text).toContain("process_cpu_user_seconds_total");
  });
});
