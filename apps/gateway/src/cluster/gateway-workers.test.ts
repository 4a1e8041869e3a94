import { Agent, Client, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { eventually } from "../../../../test/support/eventually.ts";
import { within } from "../../../../test/support/fake-upstream.ts";
import { acquireTestRedis, NO_REDIS_SERVER_REASON } from "../../../../test/support/redis-server.ts";
import { type GatewayProcess, spawnGateway, startGatewayProcess } from "../testing/gateway-process.ts";
import { createOrgWithKey } from "../testing/start-test-gateway.ts";

/**
 * The real server with GATEWAY_WORKERS=2 (src/server.ts under tsx): a primary and two worker
 * processes on one port, sharing Redis and PostgreSQL.
 */
const METRICS_TOKEN = "metrics-token-of-the-cluster-test-0123456789";
const redisTarget = await acquireTestRedis();

describe.skipIf(!redisTarget)(`GATEWAY_WORKERS=2 ${redisTarget ? "" : NO_REDIS_SERVER_REASON}`, () => {
  let t: TestDatabase;
  let gateway: GatewayProcess;

  beforeAll(async () => {
    t = await createTestDatabase();
    gateway = await startGatewayProcess({
      databaseUrl: t.url,
      env: {
        GATEWAY_WORKERS: "2",
        REDIS_URL: redisTarget?.url as string,
        METRICS_TOKEN,
        // nothing is written before the shutdown: neither the interval nor a full batch comes
        USAGE_FLUSH_INTERVAL_MS: "60000",
        USAGE_BATCH_SIZE: "10000",
      },
    });
  }, 40_000);

  afterAll(async () => {
    await gateway?.kill();
    await redisTarget?.release();
  });

  it("serves from both workers, and one scrape adds up every worker's series", async () => {
    const { secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const before = series(await scrape(gateway.url));
    // eight connections, which the primary hands to the workers in turn
    const agent = new Agent({ connections: 8 });
    const statuses = await Promise.all(Array.from({ length: 40 }, () => chat(gateway.url, secret, agent)));
    await agent.close();
    expect(statuses.every((status) => status === 200)).toBe(true);

    const after = series(await scrape(gateway.url));
    expect(
      after.get(
        'dsc_http_request_duration_seconds_count{method="POST",route="/v1/chat/completions",status="200"}',
      ),
    ).toBe(40);
    expect(after.get("dsc_gateway_workers")).toBe(2);
    // a state every worker reads alike is not summed
    expect(after.get("dsc_rate_limiter_store_redis")).toBe(1);
    // each worker's process series under its slot: both spent CPU on the requests
    const cpu = ["0", "1"].map(
      (worker) =>
        (after.get(`process_cpu_seconds_total{worker="${worker}"}`) as number) -
        (before.get(`process_cpu_seconds_total{worker="${worker}"}`) as number),
    );
    expect(Math.min(...cpu)).toBeGreaterThan(Math.max(...cpu) / 4);
  });

  it("keeps a tier's rate limit exact across the workers", async () => {
    // the free tier: 5 requests a minute; each call on a connection of its own, so both workers answer
    const { secret } = await createOrgWithKey(t.db, { tier: "free" });
    const statuses = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const client = new Client(gateway.url);
        try {
          return await chat(gateway.url, secret, client);
        } finally {
          await client.close();
        }
      }),
    );
    expect(statuses.filter((status) => status === 200)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(3);
  });

  it("replaces a worker that dies", async () => {
    const first = listeningWorkers(gateway.output()).find((w) => w.worker === 0);
    process.kill(first?.pid as number, "SIGKILL");
    await eventually(
      () => listeningWorkers(gateway.output()).some((w) => w.worker === 0 && w.pid !== first?.pid),
      "the replacement listening",
      { timeoutMs: 20_000, intervalMs: 100 },
    );
    const text = series(await scrape(gateway.url));
    expect(text.get("dsc_gateway_worker_restarts_total")).toBe(1);
    expect(text.get("dsc_gateway_workers")).toBe(2);
  });

  it("on SIGTERM, stops every worker with its usage written, and exits 0", async () => {
    const { org, secret } = await createOrgWithKey(t.db, { tier: "pro" });
    const agent = new Agent({ connections: 4 });
    const statuses = await Promise.all(Array.from({ length: 12 }, () => chat(gateway.url, secret, agent)));
    await agent.close();
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id } })).toBe(0);

    gateway.child.kill("SIGTERM");
    expect(await within(gateway.exited, 30_000, "the gateway exiting")).toBe(0);
    expect(await t.db.usageEvent.count({ where: { organizationId: org.id } })).toBe(12);
    const pids = listeningWorkers(gateway.output()).map((w) => w.pid);
    expect(pids).toHaveLength(3);
    expect(pids.filter(isRunning)).toEqual([]);
  });
});

describe("GATEWAY_WORKERS without Redis", () => {
  it("refuses to start, exit code 2, with the reason", async () => {
    const gateway = spawnGateway({
      GATEWAY_WORKERS: "2",
      DATABASE_URL: "postgresql://postgres@127.0.0.1:1/never-reached",
    });
    expect(await within(gateway.exited, 20_000, "the refusal")).toBe(2);
    expect(gateway.output()).toMatch(
      /GATEWAY_WORKERS=2 needs REDIS_URL: the memory store .* set REDIS_URL, or GATEWAY_WORKERS=1/,
    );
  });
});

async function chat(url: string, secret: string, dispatcher: Agent | Client): Promise<number> {
  const response = await request(`${url}/v1/chat/completions`, {
    method: "POST",
    dispatcher,
    headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" },
    body: JSON.stringify({ model: "deepseek-chst-1.0", messages: [{ role: "user", content: "hi" }] }),
  });
  await response.body.text();
  return response.statusCode;
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(response.status).toBe(200);
  return response.text();
}

/** The exposition's samples by name and labels, the labels sorted: `name{a="1",b="2"}` → value. */
function series(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-z_:]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels = (match[2] ?? "").match(/[a-z_]+="[^"]*"/g)?.sort() ?? [];
    samples.set(`${match[1]}${labels.length > 0 ? `{${labels.join(",")}}` : ""}`, Number(match[3]));
  }
  return samples;
}

/** The primary's "gateway worker listening" lines: which process holds which slot, in order. */
function listeningWorkers(output: string): { worker: number; pid: number }[] {
  return output
    .split("\n")
    .filter((line) => line.includes('"msg":"gateway worker listening"'))
    .map((line) => JSON.parse(line) as { worker: number; pid: number });
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
