import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { newId } from "../ids/public-id.ts";
import { usagePeriod } from "../usage/monthly-token-usage.ts";
import { WEBHOOK_FAILURES_BEFORE_DISABLE } from "./count-endpoint-failures.ts";
import { createWebhookEndpoint, MAX_WEBHOOK_ENDPOINTS_PER_OWNER } from "./create-webhook-endpoint.ts";
import { deliverWebhook, failDeadLetteredWebhookDelivery } from "./deliver-webhook.ts";
import { dispatchWebhookDeliveries, WEBHOOK_REQUEUE_AFTER_MS } from "./dispatch-webhook-deliveries.ts";
import { enqueueWebhookEvent } from "./enqueue-webhook-event.ts";
import { pruneWebhookRecords, WEBHOOK_DELIVERIES_KEPT_MS } from "./prune-webhook-records.ts";
import { rewrapWebhookSecrets } from "./rewrap-webhook-secrets.ts";
import { rotateWebhookSecret } from "./rotate-webhook-secret.ts";
import { sendTestWebhookEvent, TEST_EVENT_INTERVAL_MS } from "./send-test-webhook-event.ts";
import { setWebhookEndpointEnabled } from "./set-webhook-endpoint-enabled.ts";
import { updateWebhookEndpoint } from "./update-webhook-endpoint.ts";
import type { HostLookup } from "./webhook-address-policy.ts";
import { sealWebhookSecret } from "./webhook-secret.ts";

// Signatures carry the clock's time, so the fake clock starts now.
const clock = fakeClock(new Date());
const keyring = parseMasterKeyring(`1:${Buffer.alloc(32, 5).toString("base64")}`);
const actor = cliActor("test");
const allowed = { allowPrivate: true };
const HOUR = 3_600_000;

let t: TestDatabase;
const deps = (lookup?: HostLookup) => ({
  db: t.db,
  clock,
  keyring,
  addressPolicy: allowed,
  timeoutMs: 5_000,
  ...(lookup ? { lookup } : {}),
});

const servers: Server[] = [];
/** A receiver on 127.0.0.1 that answers each request with the next status given (200 after). */
async function startReceiver(statuses: number[] = []) {
  const received: { headers: IncomingHttpHeaders }[] = [];
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received.push({ headers: request.headers });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { received, port, url: `http://127.0.0.1:${port}/hook` };
}

async function newOrganization() {
  const id = newId("organization");
  await t.db.organization.create({ data: { id, name: `Org ${id.slice(-6)}`, tierId: "tier_free" } });
  return id;
}

const newEndpoint = (organizationId: string | null, url: string, eventTypes = ["quota.threshold_reached"]) =>
  createWebhookEndpoint(deps(), { organizationId, url, eventTypes, actor });

const quotaEvent = (organizationId: string) => ({
  type: "quota.threshold_reached" as const,
  organizationId,
  data: {
    organization_id: organizationId,
    threshold_percent: 80 as const,
    month: "2026-12",
    tokens_used: 800,
    monthly_token_quota: 1000,
  },
});

/** A new pending delivery of a quota event to the organization's endpoints; its id for one endpoint. */
async function newDelivery(organizationId: string, endpointId: string) {
  const { eventId } = await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
  const row = await t.db.webhookDelivery.findFirstOrThrow({
    where: { endpointId, eventId: eventId as string },
  });
  return row.id;
}

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(() => {
  for (const server of servers) server.close();
});

describe("limits on one tenant", () => {
  it(`refuses an organization's endpoint beyond ${MAX_WEBHOOK_ENDPOINTS_PER_OWNER}, in a sentence`, async () => {
    const organizationId = await newOrganization();
    for (let i = 0; i < MAX_WEBHOOK_ENDPOINTS_PER_OWNER; i++) {
      await newEndpoint(organizationId, `https://hooks.example.com/${i}`);
    }
    await expect(newEndpoint(organizationId, "https://hooks.example.com/one-more")).rejects.toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/at most 20 webhook endpoints: delete one/),
    });
    // another organization is not counted against it
    await expect(
      newEndpoint(await newOrganization(), "https://hooks.example.com/other"),
    ).resolves.toBeTruthy();
  });

  it("sends one test event per endpoint every 10 seconds", async () => {
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/tests");
    const send = () =>
      sendTestWebhookEvent(
        { db: t.db, clock },
        { endpointId: endpoint.id, viewer: { organizationId }, actor },
      );
    await send();
    await expect(send()).rejects.toMatchObject({
      code: "rate_limited",
      message: expect.stringMatching(/less than 10 seconds ago: wait a little/),
    });
    clock.advance(TEST_EVENT_INTERVAL_MS);
    await expect(send()).resolves.toMatchObject({ eventId: expect.stringMatching(/^evt_/) });
    expect(await t.db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(2);
  });

  it(`disables an endpoint after ${WEBHOOK_FAILURES_BEFORE_DISABLE} failed deliveries in a row, audited and with its reason`, async () => {
    const receiver = await startReceiver([
      ...Array<number>(WEBHOOK_FAILURES_BEFORE_DISABLE - 1).fill(500),
      200,
      ...Array<number>(WEBHOOK_FAILURES_BEFORE_DISABLE).fill(500),
    ]);
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, receiver.url);
    const failLast = async () => {
      const deliveryId = await newDelivery(organizationId, endpoint.id);
      return deliverWebhook(deps(), { deliveryId, isLastAttempt: true });
    };
    for (let i = 1; i < WEBHOOK_FAILURES_BEFORE_DISABLE; i++) expect(await failLast()).toBe("failed");
    // a success clears the count
    expect(await failLast()).toBe("succeeded");
    for (let i = 1; i < WEBHOOK_FAILURES_BEFORE_DISABLE; i++) expect(await failLast()).toBe("failed");
    let row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row).toMatchObject({ enabled: true, consecutiveFailures: WEBHOOK_FAILURES_BEFORE_DISABLE - 1 });
    // the last failure of a row may be pg-boss's dead letter rather than an attempt
    const deadLettered = await newDelivery(organizationId, endpoint.id);
    await failDeadLetteredWebhookDelivery({ db: t.db, clock }, { deliveryId: deadLettered });
    row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect(row).toMatchObject({
      enabled: false,
      disabledReason: "disabled after 20 failed deliveries in a row",
    });
    expect(row.disabledAt).not.toBeNull();
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { targetId: endpoint.id, action: "webhook_endpoint.disable" },
    });
    expect(audit).toMatchObject({ actorType: "SYSTEM", origin: "worker", organizationId });
    // enabled again by a person: the reason goes and the count starts afresh
    const enabled = await setWebhookEndpointEnabled(
      { db: t.db, clock },
      { endpointId: endpoint.id, viewer: { organizationId }, enabled: true, actor },
    );
    expect(enabled).toMatchObject({ enabled: true, disabledReason: null });
    expect(
      (await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).consecutiveFailures,
    ).toBe(0);
  });
});

describe("event types", () => {
  it("refuses deployment.breaker_opened for an organization's endpoint, at creation and on update", async () => {
    const organizationId = await newOrganization();
    await expect(
      newEndpoint(organizationId, "https://hooks.example.com/breaker", ["deployment.breaker_opened"]),
    ).rejects.toMatchObject({
      code: "invalid",
      message:
        "The event deployment.breaker_opened is sent only to the platform's endpoints, not to an organization's.",
    });
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/quota");
    await expect(
      updateWebhookEndpoint(deps(), {
        endpointId: endpoint.id,
        viewer: { organizationId: null },
        eventTypes: ["quota.threshold_reached", "deployment.breaker_opened"],
        actor,
      }),
    ).rejects.toMatchObject({ code: "invalid", param: "eventTypes" });
    const platform = await newEndpoint(null, "https://hooks.example.com/platform", [
      "deployment.breaker_opened",
    ]);
    expect(platform.endpoint.eventTypes).toEqual(["deployment.breaker_opened"]);
  });
});

describe("DNS pinning", () => {
  it("connects to the address it checked, which only the test's resolver knows", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    // a name no system resolver answers: the request reaches the receiver only if the socket
    // connects to the address the policy's lookup returned
    const lookup: HostLookup = async (host) =>
      host === "rebinding.example.test" ? [{ address: "127.0.0.1", family: 4 }] : [];
    const { endpoint } = await createWebhookEndpoint(deps(lookup), {
      organizationId,
      url: `http://rebinding.example.test:${receiver.port}/hook`,
      eventTypes: ["quota.threshold_reached"],
      actor,
    });
    const deliveryId = await newDelivery(organizationId, endpoint.id);
    expect(await deliverWebhook(deps(lookup), { deliveryId, isLastAttempt: false })).toBe("succeeded");
    expect(receiver.received.map((request) => request.headers.host)).toEqual([
      `rebinding.example.test:${receiver.port}`,
    ]);
  });
});

describe("lost jobs", () => {
  it("queues again a delivery queued more than 30 hours ago and still pending; a duplicate job records nothing", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, receiver.url);
    const lost = await newDelivery(organizationId, endpoint.id);
    const waiting = await newDelivery(organizationId, endpoint.id);
    const now = clock.now().getTime();
    await t.db.webhookDelivery.update({
      where: { id: lost },
      data: { queuedAt: new Date(now - WEBHOOK_REQUEUE_AFTER_MS - 60_000) },
    });
    await t.db.webhookDelivery.update({ where: { id: waiting }, data: { queuedAt: new Date(now - HOUR) } });
    const queued: { deliveryId: string; endpointId: string }[] = [];
    await dispatchWebhookDeliveries({ db: t.db, clock }, async (deliveryId, _transaction, endpointId) => {
      queued.push({ deliveryId, endpointId });
    });
    expect(queued).toContainEqual({ deliveryId: lost, endpointId: endpoint.id });
    expect(queued.map((entry) => entry.deliveryId)).not.toContain(waiting);
    expect((await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: lost } })).queuedAt).toEqual(
      clock.now(),
    );
    // the old job and the new one both run: one attempt is recorded, the other job ends quietly
    const outcomes = await Promise.all([
      deliverWebhook(deps(), { deliveryId: lost, isLastAttempt: false }),
      deliverWebhook(deps(), { deliveryId: lost, isLastAttempt: false }),
    ]);
    expect(outcomes.sort()).toEqual(["not_pending", "succeeded"]);
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: lost } })).toBe(1);
    expect(await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: lost } })).toMatchObject({
      status: "SUCCEEDED",
      attempts: 1,
    });
  });

  it("fails a re-queued delivery whose attempts are used up, whatever the new job's retry count", async () => {
    const receiver = await startReceiver([500]);
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, receiver.url);
    const deliveryId = await newDelivery(organizationId, endpoint.id);
    await t.db.webhookDelivery.update({ where: { id: deliveryId }, data: { attempts: 7 } });
    expect(await deliverWebhook(deps(), { deliveryId, isLastAttempt: false })).toBe("failed");
    expect(await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } })).toMatchObject({
      status: "FAILED",
      attempts: 8,
    });
  });
});

describe("pruning", () => {
  it("deletes deliveries finished over 30 days ago with their attempts, and once-keys past their use", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, receiver.url);
    const old = await newDelivery(organizationId, endpoint.id);
    const recent = await newDelivery(organizationId, endpoint.id);
    const oldPending = await newDelivery(organizationId, endpoint.id);
    for (const deliveryId of [old, recent])
      await deliverWebhook(deps(), { deliveryId, isLastAttempt: false });
    const now = clock.now().getTime();
    const longAgo = new Date(now - WEBHOOK_DELIVERIES_KEPT_MS - HOUR);
    await t.db.webhookDelivery.update({
      where: { id: old },
      data: { completedAt: longAgo, createdAt: longAgo },
    });
    await t.db.webhookDelivery.update({ where: { id: oldPending }, data: { createdAt: longAgo } });
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: old } })).toBe(1);

    const month = usagePeriod(clock.now()).id;
    const lastMonth = usagePeriod(new Date(Date.parse(`${month}-01T00:00:00Z`) - 1)).id;
    const open = newId("deletionRequest");
    const closed = newId("deletionRequest");
    const justCompleted = newId("deletionRequest");
    const longCompleted = newId("deletionRequest");
    const request = (id: string, status: "PENDING" | "COMPLETED", completedAt: Date | null) => ({
      id,
      organizationId,
      subjectType: "END_USER" as const,
      subjectId: "someone",
      requestedBy: "test",
      status,
      dueAt: new Date(now + HOUR),
      completedAt,
    });
    await t.db.deletionRequest.createMany({
      data: [
        request(open, "PENDING", null),
        request(closed, "COMPLETED", new Date(now - HOUR)),
        request(justCompleted, "COMPLETED", new Date(now - HOUR)),
        request(longCompleted, "COMPLETED", new Date(now - 72 * HOUR)),
      ],
    });
    const keys = {
      kept: [
        `deployment.breaker_opened:dep_recent:${new Date(now).toISOString().slice(0, 16)}`,
        `quota.threshold_reached:${organizationId}:${month}:80`,
        `credential.expiring:key_future:${new Date(now + HOUR).toISOString()}`,
        `deletion_request.near_deadline:${open}`,
        `deletion_request.completed:${justCompleted}`,
      ],
      deleted: [
        `deployment.breaker_opened:dep_old:${new Date(now - 2 * HOUR).toISOString().slice(0, 16)}`,
        `quota.threshold_reached:${organizationId}:${lastMonth}:80`,
        `credential.expiring:key_past:${new Date(now - HOUR).toISOString()}`,
        `deletion_request.overdue:${closed}`,
        `deletion_request.near_deadline:${justCompleted}`,
        `deletion_request.completed:${longCompleted}`,
        "deletion_request.overdue:delreq_gone",
      ],
    };
    await t.db.webhookEventOnce.createMany({
      data: [...keys.kept, ...keys.deleted].map((key) => ({
        key,
        eventId: newId("webhookEvent"),
        createdAt: key.includes("dep_old") ? new Date(now - 2 * HOUR) : new Date(now),
      })),
    });

    // a batch of one: the loop, not one statement, has to reach every row
    const pruned = await pruneWebhookRecords({ db: t.db, clock }, { batchSize: 1 });
    expect(pruned.deliveries).toBeGreaterThanOrEqual(1);
    expect(pruned.onceKeys).toBeGreaterThanOrEqual(keys.deleted.length);
    const deliveries = await t.db.webhookDelivery.findMany({ where: { endpointId: endpoint.id } });
    expect(deliveries.map((row) => row.id).sort()).toEqual([recent, oldPending].sort());
    expect(await t.db.webhookAttempt.count({ where: { deliveryId: old } })).toBe(0);
    const left = await t.db.webhookEventOnce.findMany({
      where: { key: { in: [...keys.kept, ...keys.deleted] } },
    });
    expect(left.map((row) => row.key).sort()).toEqual([...keys.kept].sort());
    // again: nothing left to delete of these
    await pruneWebhookRecords({ db: t.db, clock });
    expect(await t.db.webhookEventOnce.count({ where: { key: { in: keys.kept } } })).toBe(keys.kept.length);
  });
});

describe("master key rotation", () => {
  const newer = parseMasterKeyring(
    `2:${Buffer.alloc(32, 6).toString("base64")},1:${Buffer.alloc(32, 5).toString("base64")}`,
  );

  it("seals the other secrets again when one cannot be opened, naming it without its secret", async () => {
    const organizationId = await newOrganization();
    const good = await newEndpoint(organizationId, "https://hooks.example.com/good");
    const lost = await newEndpoint(organizationId, "https://hooks.example.com/lost");
    // sealed under a master key version this process does not have
    const stray = parseMasterKeyring(`9:${Buffer.alloc(32, 9).toString("base64")}`);
    const sealed = sealWebhookSecret(stray, lost.endpoint.id, lost.secret);
    await t.db.webhookEndpoint.update({
      where: { id: lost.endpoint.id },
      data: { secretCiphertext: sealed.ciphertext, secretKeyVersion: sealed.keyVersion },
    });
    const failures: [string, string][] = [];
    const result = await rewrapWebhookSecrets(
      { db: t.db, clock, keyring: newer, onFailure: (id, reason) => failures.push([id, reason]) },
      { batchSize: 1 },
    );
    expect(result.failed).toBe(1);
    expect(failures).toEqual([[lost.endpoint.id, expect.stringMatching(/master key version 9/)]]);
    expect(JSON.stringify(failures)).not.toContain(lost.secret);
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: good.endpoint.id } });
    expect(row.secretKeyVersion).toBe(2);
  });

  it("drops a rotation's previous secret once its grace period is over", async () => {
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/rotated");
    await rotateWebhookSecret(
      { db: t.db, clock, keyring },
      { endpointId: endpoint.id, viewer: { organizationId }, gracePeriodMs: HOUR, actor },
    );
    await rewrapWebhookSecrets({ db: t.db, clock, keyring: newer });
    expect(
      (await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).previousSecretCiphertext,
    ).not.toBeNull();
    const later = fakeClock(new Date(clock.now().getTime() + HOUR));
    const result = await rewrapWebhookSecrets({ db: t.db, clock: later, keyring: newer });
    expect(result.previousSecretsCleared).toBeGreaterThanOrEqual(1);
    expect(await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).toMatchObject({
      previousSecretCiphertext: null,
      previousSecretKeyVersion: null,
      previousSecretExpiresAt: null,
    });
  });
});
