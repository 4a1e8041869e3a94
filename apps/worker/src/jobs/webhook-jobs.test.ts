import { EventEmitter, once } from "node:events";
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { WebhookEventSchema } from "@dsc/api-client";
import {
  cliActor,
  createOrganization,
  createWebhookEndpoint,
  enqueueWebhookEvent,
  newId,
  parseMasterKeyring,
  setWebhookEndpointEnabled,
} from "@dsc/core";
import { pino } from "pino";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { startWorker, type WorkerHandle } from "../start-worker.ts";
import { checkDeletionDeadlinesJob } from "./check-deletion-deadlines.ts";
import {
  checkExpiringCredentialsJob,
  checkQuotaThresholdsJob,
  deliverWebhookJob,
  dispatchWebhooksJob,
  webhookDeadLetterJob,
} from "./webhook-jobs.ts";

// Signatures carry the clock's time, which Webhook.verify compares with the real one.
const clock = fakeClock(new Date());
const keyring = parseMasterKeyring(`1:${Buffer.alloc(32, 3).toString("base64")}`);
const actor = cliActor("test");
const done = new Map<string, Record<string, unknown>>();
const events = new EventEmitter();
let t: TestDatabase;
let worker: WorkerHandle;
let receiver: Server;
let receiverUrl: string;
/** what the receiver answers next, by path; 200 when nothing is queued */
const statuses = new Map<string, number[]>();
const received: { path: string; headers: IncomingHttpHeaders; body: string }[] = [];
/** the path of a receiver that holds its requests open; how many are open, and the most at once */
const STALLED = "/stalled";
const stalled = { holding: true, open: new Set<ServerResponse>(), most: 0 };

beforeAll(async () => {
  t = await createTestDatabase();
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const path = request.url ?? "";
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      if (path === STALLED && stalled.holding) {
        // a receiver that never answers: the request stays open until the test lets it go
        stalled.open.add(response);
        stalled.most = Math.max(stalled.most, stalled.open.size);
        response.on("close", () => stalled.open.delete(response));
        return;
      }
      response.statusCode = statuses.get(path)?.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const logger = pino(
    { level: "info" },
    new Writable({
      write(chunk, _encoding, callback) {
        const line = JSON.parse(String(chunk)) as { msg: string; jobRunId?: string };
        if (line.msg === "job done" && line.jobRunId) {
          done.set(line.jobRunId, line);
          events.emit("done");
        }
        callback();
      },
    }),
  );
  worker = await startWorker({
    databaseUrl: t.url,
    jobs: [
      webhookDeadLetterJob,
      deliverWebhookJob,
      dispatchWebhooksJob,
      checkQuotaThresholdsJob,
      checkDeletionDeadlinesJob,
    ],
    db: t.db,
    clock,
    logger,
    keyring,
    responseCacheTtlMs: 0,
    webhooks: { addressPolicy: { allowPrivate: true }, timeoutMs: 5_000 },
  });
});

afterAll(async () => {
  await worker.stop();
  receiver.close();
});

async function runJob(id: string, payload: object = {}) {
  const runId = await worker.boss.send(id, payload);
  if (!runId) throw new Error(`pg-boss did not accept ${id}`);
  for (let i = 0; i < 200 && !done.has(runId); i++) await once(events, "done");
  return done.get(runId);
}

/** Waits (bounded) until every delivery of the endpoint has ended, and returns them. */
async function settledDeliveries(endpointId: string, expected: number) {
  for (let i = 0; i < 300; i++) {
    const rows = await t.db.webhookDelivery.findMany({
      where: { endpointId },
      orderBy: { createdAt: "asc" },
    });
    if (rows.length >= expected && rows.every((row) => row.status !== "PENDING")) return rows;
    await sleep(100);
  }
  throw new Error(`the deliveries of ${endpointId} did not settle`);
}

async function newEndpoint(path: string, eventTypes: string[]) {
  const organization = await createOrganization(
    { db: t.db, clock },
    { name: `Hooks ${path}`, tier: "free", actor },
  );
  const created = await createWebhookEndpoint(
    { db: t.db, clock, keyring, addressPolicy: { allowPrivate: true } },
    { organizationId: organization.id, url: `${receiverUrl}${path}`, eventTypes, actor },
  );
  return { organizationId: organization.id, ...created };
}

const requestsTo = (path: string) => received.filter((request) => request.path === path);

describe("webhook jobs", () => {
  it("declare the delivery queue's retries, backoff and dead letter queue to pg-boss", async () => {
    const queue = await worker.boss.getQueue("webhook.deliver");
    expect(queue).toMatchObject({
      retryLimit: 7,
      retryDelay: 600,
      retryBackoff: true,
      retryDelayMax: 21_600,
      deadLetter: "webhook.deliver.dead",
    });
  });

  it("deliver to other endpoints while one endpoint's receiver holds its requests, which get at most 2 at once", async () => {
    const quota = (organizationId: string, tokens: number) => ({
      type: "quota.threshold_reached" as const,
      organizationId,
      data: {
        organization_id: organizationId,
        threshold_percent: 80 as const,
        month: "2026-12",
        tokens_used: tokens,
        monthly_token_quota: 100,
      },
    });
    const slow = await newEndpoint(STALLED, ["quota.threshold_reached"]);
    for (let i = 0; i < 5; i++)
      await enqueueWebhookEvent({ db: t.db, clock }, quota(slow.organizationId, 80 + i));
    await runJob("webhook.dispatch");
    // the stalled endpoint's jobs are taken first; then another tenant's event
    for (let i = 0; i < 100 && stalled.open.size < 2; i++) await sleep(50);
    const prompt = await newEndpoint("/prompt", ["quota.threshold_reached"]);
    await enqueueWebhookEvent({ db: t.db, clock }, quota(prompt.organizationId, 90));
    await runJob("webhook.dispatch");
    try {
      const [delivery] = await settledDeliveries(prompt.endpoint.id, 1);
      expect(delivery).toMatchObject({ status: "SUCCEEDED" });
      // delivered while the stalled receiver still held requests open, not after they timed out
      expect(stalled.open.size).toBeGreaterThan(0);
      expect(stalled.most).toBe(2);
    } finally {
      stalled.holding = false;
      for (const response of stalled.open) response.end();
    }
  });

  it("check expiring credentials every hour: a credential made with days to live is announced that hour", () => {
    expect(checkExpiringCredentialsJob.schedule).toBe("0 * * * *");
  });

  it("dispatch a delivery to pg-boss, which signs and sends it, and retries it after a 500", async () => {
    // a short delay for this test's jobs: jobs take the queue's policy when they are sent
    await worker.boss.updateQueue("webhook.deliver", { retryDelay: 1, retryBackoff: false });
    try {
      const { organizationId, endpoint, secret } = await newEndpoint("/retried", ["quota.threshold_reached"]);
      statuses.set("/retried", [500]);
      await enqueueWebhookEvent(
        { db: t.db, clock },
        {
          type: "quota.threshold_reached",
          organizationId,
          data: {
            organization_id: organizationId,
            threshold_percent: 80,
            month: "2026-12",
            tokens_used: 80,
            monthly_token_quota: 100,
          },
        },
      );
      expect(await runJob("webhook.dispatch")).toMatchObject({ queued: 1 });
      const [delivery] = await settledDeliveries(endpoint.id, 1);
      expect(delivery).toMatchObject({ status: "SUCCEEDED", attempts: 2, lastStatusCode: 200 });
      const attempts = await t.db.webhookAttempt.findMany({
        where: { deliveryId: delivery?.id as string },
        orderBy: { attempt: "asc" },
      });
      expect(attempts.map((attempt) => attempt.statusCode)).toEqual([500, 200]);
      const requests = requestsTo("/retried");
      expect(requests).toHaveLength(2);
      const last = requests[1];
      const event = WebhookEventSchema.parse(
        new Webhook(secret).verify(last?.body as string, last?.headers as Record<string, string>),
      );
      expect(event).toMatchObject({
        type: "quota.threshold_reached",
        data: { organization_id: organizationId },
      });
    } finally {
      await worker.boss.updateQueue("webhook.deliver", { retryDelay: 600, retryBackoff: true });
    }
  });

  it("dead-letter a delivery pg-boss has no retries left for, which marks it failed", async () => {
    // no retries for this test's jobs: the first failure is the last, and pg-boss dead-letters it
    await worker.boss.updateQueue("webhook.deliver", { retryLimit: 0 });
    try {
      const { organizationId, endpoint } = await newEndpoint("/dead", ["quota.threshold_reached"]);
      statuses.set("/dead", [500]);
      await enqueueWebhookEvent(
        { db: t.db, clock },
        {
          type: "quota.threshold_reached",
          organizationId,
          data: {
            organization_id: organizationId,
            threshold_percent: 80,
            month: "2026-12",
            tokens_used: 80,
            monthly_token_quota: 100,
          },
        },
      );
      await runJob("webhook.dispatch");
      const [delivery] = await settledDeliveries(endpoint.id, 1);
      expect(delivery).toMatchObject({
        status: "FAILED",
        attempts: 1,
        lastStatusCode: 500,
        lastError: "out of attempts",
      });
      expect(requestsTo("/dead")).toHaveLength(1);
    } finally {
      await worker.boss.updateQueue("webhook.deliver", { retryLimit: 7 });
    }
  });

  it("send nothing to an endpoint disabled after its delivery was written", async () => {
    const { organizationId, endpoint } = await newEndpoint("/disabled", ["quota.threshold_reached"]);
    await enqueueWebhookEvent(
      { db: t.db, clock },
      {
        type: "quota.threshold_reached",
        organizationId,
        data: {
          organization_id: organizationId,
          threshold_percent: 100,
          month: "2026-12",
          tokens_used: 100,
          monthly_token_quota: 100,
        },
      },
    );
    await setWebhookEndpointEnabled(
      { db: t.db, clock },
      { endpointId: endpoint.id, viewer: { organizationId: null }, enabled: false, actor },
    );
    await runJob("webhook.dispatch");
    const [delivery] = await settledDeliveries(endpoint.id, 1);
    expect(delivery).toMatchObject({ status: "FAILED", lastError: "endpoint disabled", attempts: 0 });
    expect(requestsTo("/disabled")).toHaveLength(0);
  });

  it("announce a deletion request near its deadline once, however often the deadline job runs", async () => {
    const { organizationId, endpoint } = await newEndpoint("/deadlines", ["deletion_request.near_deadline"]);
    const id = newId("deletionRequest");
    await t.db.deletionRequest.create({
      data: {
        id,
        organizationId,
        subjectType: "END_USER",
        subjectId: "someone",
        requestedBy: "test",
        dueAt: new Date(clock.now().getTime() + 3 * 3_600_000),
      },
    });
    await runJob("compliance.check-deletion-deadlines");
    await runJob("compliance.check-deletion-deadlines");
    await runJob("webhook.dispatch");
    const deliveries = await settledDeliveries(endpoint.id, 1);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({ status: "SUCCEEDED", eventType: "deletion_request.near_deadline" });
    const requests = requestsTo("/deadlines");
    expect(requests).toHaveLength(1);
    expect(JSON.parse(requests[0]?.body as string)).toMatchObject({
      type: "deletion_request.near_deadline",
      data: { deletion_request_id: id, organization_id: organizationId, subject_type: "END_USER" },
    });
    expect(requests[0]?.body).not.toContain("someone");
  });

  it("announce a quota threshold once, however often the quota job runs", async () => {
    const tierId = `tier_hooks_${Date.now().toString(36)}`;
    await t.db.tier.create({
      data: {
        id: tierId,
        slug: tierId.slice(5),
        name: "hooks",
        requestsPerMinute: 60,
        monthlyTokenQuota: 100n,
        maxFileBytes: 1n,
      },
    });
    const { organizationId, endpoint } = await newEndpoint("/quota", ["quota.threshold_reached"]);
    await t.db.organization.update({ where: { id: organizationId }, data: { tierId } });
    const now = clock.now();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    await t.db.usageRollupMonth.create({
      data: { monthStart, organizationId, credentialId: "key_quota", requests: 1n, tokens: 85n },
    });
    expect(await runJob("webhook.check-quota-thresholds")).toMatchObject({ events: 1, queued: 1 });
    expect(await runJob("webhook.check-quota-thresholds")).toMatchObject({ events: 0 });
    const deliveries = await settledDeliveries(endpoint.id, 1);
    expect(deliveries).toHaveLength(1);
    expect(requestsTo("/quota")).toHaveLength(1);
    expect(JSON.parse(requestsTo("/quota")[0]?.body as string)).toMatchObject({
      data: { threshold_percent: 80, tokens_used: 85, monthly_token_quota: 100 },
    });
  });
});
