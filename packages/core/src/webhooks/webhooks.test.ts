import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebhookEventSchema } from "@dsc/api-client";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { parseMasterKeyring } from "../crypto/master-keyring.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import { announceBreakerOpened } from "./announce-breaker-opened.ts";
import { createWebhookEndpoint } from "./create-webhook-endpoint.ts";
import { deliverWebhook, failDeadLetteredWebhookDelivery } from "./deliver-webhook.ts";
import { dispatchWebhookDeliveries } from "./dispatch-webhook-deliveries.ts";
import { enqueueWebhookEvent } from "./enqueue-webhook-event.ts";
import { listWebhookDeliveries } from "./list-webhook-deliveries.ts";
import {
  notifyCompletedDeletionRequests,
  notifyDeletionDeadlines,
} from "./notify-deletion-request-events.ts";
import { notifyExpiringCredentials } from "./notify-expiring-credentials.ts";
import { notifyQuotaThresholds } from "./notify-quota-thresholds.ts";
import { rewrapWebhookSecrets } from "./rewrap-webhook-secrets.ts";
import { rotateWebhookSecret } from "./rotate-webhook-secret.ts";
import { sendTestWebhookEvent } from "./send-test-webhook-event.ts";
import { setWebhookEndpointEnabled } from "./set-webhook-endpoint-enabled.ts";
import { type HostLookup, isPublicAddress } from "./webhook-address-policy.ts";

// Signatures carry the clock's time and Webhook.verify refuses one more than 5 minutes from the
// real time, so the fake clock starts now.
const clock = fakeClock(new Date());
const keyring = parseMasterKeyring(`1:${Buffer.alloc(32, 5).toString("base64")}`);
const actor = cliActor("test");
const allowed = { allowPrivate: true };
const refused = { allowPrivate: false };

let t: TestDatabase;
const endpointDeps = (addressPolicy = allowed, lookup?: HostLookup) => ({
  db: t.db,
  clock,
  keyring,
  addressPolicy,
  ...(lookup ? { lookup } : {}),
});
const deliveryDeps = (addressPolicy = allowed, lookup?: HostLookup) => ({
  ...endpointDeps(addressPolicy, lookup),
  timeoutMs: 5_000,
});

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  path: string;
}

/** A webhook receiver on 127.0.0.1 that answers each request with the next status given. */
async function startReceiver(statuses: number[] = []) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        path: request.url ?? "",
      });
      response.statusCode = statuses.shift() ?? 200;
      response.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  receivers.push(server);
  return { received, url: (path = "/hook") => `http://127.0.0.1:${port}${path}`, port };
}
const receivers: Server[] = [];

async function newOrganization(tierId = "tier_free") {
  const id = newId("organization");
  await t.db.organization.create({ data: { id, name: `Org ${id.slice(-6)}`, tierId } });
  return id;
}

async function newEndpoint(
  organizationId: string | null,
  url: string,
  eventTypes = ["quota.threshold_reached"],
) {
  return createWebhookEndpoint(endpointDeps(), { organizationId, url, eventTypes, actor });
}

async function deliveriesOf(endpointId: string) {
  return t.db.webhookDelivery.findMany({ where: { endpointId }, orderBy: { createdAt: "asc" } });
}

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

beforeAll(async () => {
  t = await createTestDatabase();
});

afterAll(async () => {
  for (const server of receivers) server.close();
});

describe("endpoints", () => {
  it("shows the whsec_ secret once and keeps it only sealed, with an audit event", async () => {
    const organizationId = await newOrganization();
    const { endpoint, secret } = await newEndpoint(organizationId, "https://hooks.example.com/dsc");
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint.id).toMatch(/^whep_/);
    expect(endpoint).toMatchObject({
      organizationId,
      enabled: true,
      eventTypes: ["quota.threshold_reached"],
    });
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    const stored = Buffer.from(row.secretCiphertext).toString("latin1");
    expect(stored).not.toContain(secret.slice(6, 20));
    expect(JSON.stringify(endpoint)).not.toContain(secret);
    const audit = await t.db.auditEvent.findFirstOrThrow({ where: { targetId: endpoint.id } });
    expect(audit).toMatchObject({ action: "webhook_endpoint.create", organizationId });
    expect(JSON.stringify(audit.metadata)).not.toContain(secret);
  });

  it("refuses unknown event types, other schemes and credentials in the URL", async () => {
    const organizationId = await newOrganization();
    const create = (url: string, eventTypes = ["quota.threshold_reached"]) =>
      createWebhookEndpoint(endpointDeps(), { organizationId, url, eventTypes, actor });
    await expect(create("ftp://hooks.example.com/")).rejects.toThrow(DomainError);
    await expect(create("https://user:pass@hooks.example.com/")).rejects.toThrow(/user name or password/);
    await expect(create("https://hooks.example.com/", [])).rejects.toThrow(/at least one/);
    await expect(create("https://hooks.example.com/", ["quota.nope"])).rejects.toThrow(
      /There is no event type/,
    );
    await expect(create("https://hooks.example.com/", ["webhook.test"])).rejects.toThrow(
      /There is no event type/,
    );
  });

  it("hides another organization's endpoint from a developer's viewer", async () => {
    const mine = await newOrganization();
    const theirs = await newOrganization();
    const { endpoint } = await newEndpoint(theirs, "https://hooks.example.com/theirs");
    await expect(
      setWebhookEndpointEnabled(endpointDeps(), {
        endpointId: endpoint.id,
        viewer: { organizationId: mine },
        enabled: false,
        actor,
      }),
    ).rejects.toMatchObject({ code: "not_found" });
    await expect(
      listWebhookDeliveries({ db: t.db }, { endpointId: endpoint.id, viewer: { organizationId: mine } }),
    ).rejects.toMatchObject({ code: "not_found" });
  });
});

describe("the address policy", () => {
  it("refuses loopback, private, link-local, CGNAT, multicast, unspecified and mapped addresses", () => {
    for (const address of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "224.0.0.1",
      "255.255.255.255",
      "0.0.0.0",
      "::",
      "::1",
      "fe80::1",
      "fd00::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:10.0.0.1",
      "::ffff:a9fe:a9fe",
      // IPv4 inside IPv6 through translators and tunnels: loopback and metadata behind them
      "64:ff9b::7f00:1",
      "64:ff9b::a9fe:a9fe",
      "64:ff9b:1::a00:1",
      "2002:7f00:1::1",
      "2001:0:4136:e378:8000:63bf:80ff:fffe",
      "::ffff:0:7f00:1",
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
    for (const address of ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111", "::ffff:1.1.1.1"]) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it("refuses at creation an address or a host name that resolves to one, unless private addresses are allowed", async () => {
    const organizationId = await newOrganization();
    const create = (url: string, policy = refused) =>
      createWebhookEndpoint(endpointDeps(policy), {
        organizationId,
        url,
        eventTypes: ["quota.threshold_reached"],
        actor,
      });
    await expect(create("http://127.0.0.1:9/hook")).rejects.toThrow(/private, loopback/);
    await expect(create("http://[::1]:9/hook")).rejects.toThrow(/private, loopback/);
    await expect(create("http://[::ffff:127.0.0.1]:9/hook")).rejects.toThrow(/private, loopback/);
    await expect(create("http://169.254.169.254/latest/meta-data")).rejects.toThrow(/private, loopback/);
    // the system resolver: localhost is 127.0.0.1 (or ::1), from the hosts file, not the network
    await expect(create("http://localhost:9/hook")).rejects.toThrow(/private, loopback/);
    await expect(create("http://localhost:9/hook", allowed)).resolves.toMatchObject({
      endpoint: { url: "http://localhost:9/hook" },
    });
  });

  it("refuses at delivery a host that now resolves to loopback, and sends nothing", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    // a name that resolved to a public address when the endpoint was made, and to the receiver now
    let answer = "93.184.215.14";
    const lookup: HostLookup = async () => [{ address: answer, family: 4 }];
    const { endpoint } = await createWebhookEndpoint(endpointDeps(refused, lookup), {
      organizationId,
      url: `http://rebinding.example.test:${receiver.port}/hook`,
      eventTypes: ["quota.threshold_reached"],
      actor,
    });
    answer = "127.0.0.1";
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    const [delivery] = await deliveriesOf(endpoint.id);
    const outcome = await deliverWebhook(deliveryDeps(refused, lookup), {
      deliveryId: delivery?.id as string,
      isLastAttempt: false,
    });
    expect(outcome).toBe("retry");
    expect(receiver.received).toHaveLength(0);
    const after = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery?.id as string } });
    expect(after.lastError).toMatch(/private, loopback.*127\.0\.0\.1/);
    expect(after.lastStatusCode).toBeNull();
  });

  it("refuses at delivery localhost by the system resolver when private addresses are not allowed", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, `http://localhost:${receiver.port}/hook`);
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    const [delivery] = await deliveriesOf(endpoint.id);
    const deliveryId = delivery?.id as string;
    expect(await deliverWebhook(deliveryDeps(refused), { deliveryId, isLastAttempt: false })).toBe("retry");
    expect(receiver.received).toHaveLength(0);
    // allowed by configuration, the same delivery goes through
    expect(await deliverWebhook(deliveryDeps(allowed), { deliveryId, isLastAttempt: false })).toBe(
      "succeeded",
    );
    expect(receiver.received).toHaveLength(1);
  });
});

describe("delivery", () => {
  it("signs the body as Standard Webhooks define, which the library verifies", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    const { endpoint, secret } = await newEndpoint(organizationId, receiver.url());
    const enqueued = await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    expect(enqueued.deliveries).toBe(1);
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(
      await deliverWebhook(deliveryDeps(), { deliveryId: delivery?.id as string, isLastAttempt: false }),
    ).toBe("succeeded");
    const [request] = receiver.received;
    expect(request?.headers["webhook-id"]).toBe(enqueued.eventId);
    expect(request?.headers["content-type"]).toBe("application/json");
    const verified = new Webhook(secret).verify(
      request?.body as string,
      request?.headers as Record<string, string>,
    );
    const event = WebhookEventSchema.parse(verified);
    expect(event).toMatchObject({ id: enqueued.eventId, type: "quota.threshold_reached" });
    // another secret does not verify it
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString("base64")}`).verify(
        request?.body as string,
        request?.headers as Record<string, string>,
      ),
    ).toThrow();
    const after = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: delivery?.id as string } });
    expect(after).toMatchObject({ status: "SUCCEEDED", attempts: 1, lastStatusCode: 200, lastError: null });
  });

  it("records a 500 as a failed attempt to retry, then the 200 of the next attempt", async () => {
    const receiver = await startReceiver([500, 200]);
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, receiver.url());
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    const [delivery] = await deliveriesOf(endpoint.id);
    const deliveryId = delivery?.id as string;
    expect(await deliverWebhook(deliveryDeps(), { deliveryId, isLastAttempt: false })).toBe("retry");
    const failed = await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: deliveryId } });
    expect(failed).toMatchObject({
      status: "PENDING",
      attempts: 1,
      lastStatusCode: 500,
      lastError: "HTTP 500",
    });
    expect(failed.nextAttemptAt?.getTime()).toBeGreaterThan(clock.now().getTime());
    expect(await deliverWebhook(deliveryDeps(), { deliveryId, isLastAttempt: false })).toBe("succeeded");
    expect(receiver.received.map((request) => request.headers["webhook-id"])).toEqual([
      delivery?.eventId,
      delivery?.eventId,
    ]);
    const page = await listWebhookDeliveries(
      { db: t.db },
      { endpointId: endpoint.id, viewer: { organizationId } },
    );
    expect(page.items[0]).toMatchObject({ status: "SUCCEEDED", attempts: 2, lastStatusCode: 200 });
    expect(page.items[0]?.attemptsMade.map((attempt) => [attempt.attempt, attempt.statusCode])).toEqual([
      [2, 200],
      [1, 500],
    ]);
    // a job that runs again after success sends nothing more
    expect(await deliverWebhook(deliveryDeps(), { deliveryId, isLastAttempt: false })).toBe("not_pending");
    expect(receiver.received).toHaveLength(2);
  });

  it("fails the delivery on its last attempt, and a dead-lettered one that is still pending", async () => {
    const receiver = await startReceiver([503, 503]);
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, receiver.url());
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    const [first, second] = await deliveriesOf(endpoint.id);
    expect(
      await deliverWebhook(deliveryDeps(), { deliveryId: first?.id as string, isLastAttempt: true }),
    ).toBe("failed");
    expect(
      await t.db.webhookDelivery.findUniqueOrThrow({ where: { id: first?.id as string } }),
    ).toMatchObject({
      status: "FAILED",
      lastStatusCode: 503,
    });
    expect(
      await failDeadLetteredWebhookDelivery({ db: t.db, clock }, { deliveryId: first?.id as string }),
    ).toEqual({
      failed: 0,
    });
    expect(
      await failDeadLetteredWebhookDelivery({ db: t.db, clock }, { deliveryId: second?.id as string }),
    ).toEqual({
      failed: 1,
    });
  });

  it("sends nothing to a disabled endpoint, queued before or after it was disabled", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, receiver.url());
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    await setWebhookEndpointEnabled(endpointDeps(), {
      endpointId: endpoint.id,
      viewer: { organizationId },
      enabled: false,
      actor,
    });
    const [queued] = await deliveriesOf(endpoint.id);
    expect(
      await deliverWebhook(deliveryDeps(), { deliveryId: queued?.id as string, isLastAttempt: false }),
    ).toBe("endpoint_disabled");
    expect(await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId))).toMatchObject({
      deliveries: 0,
    });
    await expect(
      sendTestWebhookEvent(
        { db: t.db, clock },
        { endpointId: endpoint.id, viewer: { organizationId }, actor },
      ),
    ).rejects.toMatchObject({ code: "conflict" });
    expect(receiver.received).toHaveLength(0);
    expect(await deliveriesOf(endpoint.id)).toHaveLength(1);
    expect((await deliveriesOf(endpoint.id))[0]).toMatchObject({
      status: "FAILED",
      lastError: "endpoint disabled",
    });
  });

  it("signs with both secrets during a rotation's grace period, then with the new one only", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    const { endpoint, secret: oldSecret } = await newEndpoint(organizationId, receiver.url());
    const { secret: newSecret } = await rotateWebhookSecret(
      { db: t.db, clock, keyring },
      { endpointId: endpoint.id, viewer: { organizationId }, gracePeriodMs: 60_000, actor },
    );
    expect(newSecret).not.toBe(oldSecret);
    await sendTestWebhookEvent(
      { db: t.db, clock },
      { endpointId: endpoint.id, viewer: { organizationId }, actor },
    );
    const [first] = await deliveriesOf(endpoint.id);
    await deliverWebhook(deliveryDeps(), { deliveryId: first?.id as string, isLastAttempt: false });
    const [request] = receiver.received;
    const headers = request?.headers as Record<string, string>;
    expect(headers["webhook-signature"]?.split(" ")).toHaveLength(2);
    expect(
      WebhookEventSchema.parse(new Webhook(oldSecret).verify(request?.body as string, headers)),
    ).toMatchObject({
      type: "webhook.test",
      data: { endpoint_id: endpoint.id },
    });
    expect(() => new Webhook(newSecret).verify(request?.body as string, headers)).not.toThrow();

    clock.advance(61_000);
    await sendTestWebhookEvent(
      { db: t.db, clock },
      { endpointId: endpoint.id, viewer: { organizationId }, actor },
    );
    const second = (await deliveriesOf(endpoint.id)).find((row) => row.id !== first?.id);
    await deliverWebhook(deliveryDeps(), { deliveryId: second?.id as string, isLastAttempt: false });
    const later = receiver.received[1];
    const laterHeaders = later?.headers as Record<string, string>;
    expect(laterHeaders["webhook-signature"]?.split(" ")).toHaveLength(1);
    expect(() => new Webhook(newSecret).verify(later?.body as string, laterHeaders)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(later?.body as string, laterHeaders)).toThrow();
  });

  it("goes to the organization's subscribed endpoints and the platform's, not to others'", async () => {
    const organizationId = await newOrganization();
    const other = await newOrganization();
    const mine = await newEndpoint(organizationId, "https://hooks.example.com/mine");
    const notSubscribed = await newEndpoint(organizationId, "https://hooks.example.com/other-events", [
      "credential.expiring",
    ]);
    const theirs = await newEndpoint(other, "https://hooks.example.com/theirs");
    const platform = await newEndpoint(null, "https://hooks.example.com/platform");
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    expect(await deliveriesOf(mine.endpoint.id)).toHaveLength(1);
    expect(await deliveriesOf(platform.endpoint.id)).toHaveLength(1);
    expect(await deliveriesOf(notSubscribed.endpoint.id)).toHaveLength(0);
    expect(await deliveriesOf(theirs.endpoint.id)).toHaveLength(0);
    // the platform's endpoints are left for the next tests' events not to pile up on
    await t.db.webhookEndpoint.delete({ where: { id: platform.endpoint.id } });
  });

  it("drops payload fields the contract does not name", async () => {
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/strict");
    const event = quotaEvent(organizationId);
    await enqueueWebhookEvent(
      { db: t.db, clock },
      { ...event, data: { ...event.data, email: "someone@example.com" } as typeof event.data },
    );
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(JSON.stringify(delivery?.payload)).not.toContain("someone@example.com");
  });
});

describe("dispatch", () => {
  it("queues each pending delivery once, in the transaction that marks it queued", async () => {
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/dispatch");
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    const queued: string[] = [];
    const first = await dispatchWebhookDeliveries({ db: t.db, clock }, async (deliveryId, transaction) => {
      // the statement runs on the dispatcher's transaction: it sees the row locked FOR UPDATE
      const { rows } = await transaction.executeSql("SELECT queued_at FROM webhook_delivery WHERE id = $1", [
        deliveryId,
      ]);
      expect(rows).toEqual([{ queued_at: null }]);
      queued.push(deliveryId);
    });
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(queued).toContain(delivery?.id);
    expect(first.queued).toBe(queued.length);
    expect(delivery?.queuedAt).not.toBeNull();
    const again = await dispatchWebhookDeliveries({ db: t.db, clock }, async (deliveryId) => {
      queued.push(deliveryId);
    });
    expect(again.queued).toBe(0);
  });

  it("leaves a delivery unqueued when the queue refuses it", async () => {
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/rollback");
    await enqueueWebhookEvent({ db: t.db, clock }, quotaEvent(organizationId));
    await expect(
      dispatchWebhookDeliveries({ db: t.db, clock }, async () => {
        throw new Error("queue down");
      }),
    ).rejects.toThrow("queue down");
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(delivery?.queuedAt).toBeNull();
    // the next run queues it
    await dispatchWebhookDeliveries({ db: t.db, clock }, async () => undefined);
    expect((await deliveriesOf(endpoint.id))[0]?.queuedAt).not.toBeNull();
  });
});

describe("events sent once", () => {
  it("announces 80 % and 100 % of the monthly quota once per organization and month", async () => {
    const tierId = `tier_${newId("organization").slice(4).toLowerCase()}`;
    await t.db.tier.create({
      data: {
        id: tierId,
        slug: tierId.slice(5),
        name: "quota",
        requestsPerMinute: 60,
        monthlyTokenQuota: 1000n,
        maxFileBytes: 1n,
      },
    });
    const organizationId = await newOrganization(tierId);
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/quota");
    const now = clock.now();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const month = monthStart.toISOString().slice(0, 7);
    await t.db.usageRollupMonth.create({
      data: { monthStart, organizationId, credentialId: "key_a", requests: 3n, tokens: 500n },
    });
    await t.db.usageRollupMonth.create({
      data: { monthStart, organizationId, credentialId: "key_b", requests: 3n, tokens: 350n },
    });
    await notifyQuotaThresholds({ db: t.db, clock });
    await notifyQuotaThresholds({ db: t.db, clock });
    let payloads = (await deliveriesOf(endpoint.id)).map((row) => WebhookEventSchema.parse(row.payload));
    expect(payloads.map((event) => event.data)).toEqual([
      {
        organization_id: organizationId,
        threshold_percent: 80,
        month,
        tokens_used: 850,
        monthly_token_quota: 1000,
      },
    ]);
    await t.db.usageRollupMonth.update({
      where: {
        monthStart_organizationId_credentialId: { monthStart, organizationId, credentialId: "key_b" },
      },
      data: { tokens: 600n },
    });
    await notifyQuotaThresholds({ db: t.db, clock });
    await notifyQuotaThresholds({ db: t.db, clock });
    payloads = (await deliveriesOf(endpoint.id)).map((row) => WebhookEventSchema.parse(row.payload));
    expect(
      payloads.map((event) => (event.data as { threshold_percent: number }).threshold_percent).sort(),
    ).toEqual([100, 80]);
  });

  it("announces deletion requests near their deadline, overdue and completed, once each", async () => {
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/deletions", [
      "deletion_request.completed",
      "deletion_request.near_deadline",
      "deletion_request.overdue",
    ]);
    const id = newId("deletionRequest");
    const now = clock.now();
    await t.db.deletionRequest.create({
      data: {
        id,
        organizationId,
        subjectType: "END_USER",
        subjectId: "end-user-with-a-name@example.com",
        requestedBy: "test",
        createdAt: new Date(now.getTime() - 66 * 3_600_000),
        dueAt: new Date(now.getTime() + 6 * 3_600_000),
      },
    });
    await notifyDeletionDeadlines({ db: t.db, clock });
    await notifyDeletionDeadlines({ db: t.db, clock });
    clock.advance(7 * 3_600_000);
    await notifyDeletionDeadlines({ db: t.db, clock });
    await notifyDeletionDeadlines({ db: t.db, clock });
    await t.db.deletionRequest.update({
      where: { id },
      data: { status: "COMPLETED", completedAt: clock.now() },
    });
    await notifyCompletedDeletionRequests({ db: t.db, clock });
    await notifyCompletedDeletionRequests({ db: t.db, clock });
    const rows = await deliveriesOf(endpoint.id);
    expect(rows.map((row) => row.eventType)).toEqual([
      "deletion_request.near_deadline",
      "deletion_request.overdue",
      "deletion_request.completed",
    ]);
    const completed = WebhookEventSchema.parse(rows[2]?.payload);
    expect(completed.data).toMatchObject({
      deletion_request_id: id,
      organization_id: organizationId,
      late: true,
    });
    for (const row of rows) expect(JSON.stringify(row.payload)).not.toContain("end-user-with-a-name");
    clock.advance(-7 * 3_600_000);
  });

  it("announces a key expiring within 7 days once, and again when its expiry moves", async () => {
    const organizationId = await newOrganization();
    const { endpoint } = await newEndpoint(organizationId, "https://hooks.example.com/keys", [
      "credential.expiring",
    ]);
    const keyId = newId("apiKey");
    const expiresAt = new Date(clock.now().getTime() + 3 * 86_400_000);
    await t.db.apiKey.create({
      data: {
        id: keyId,
        organizationId,
        name: "ci",
        hash: keyId,
        prefix: "sk-…",
        scopes: ["chat"],
        expiresAt,
      },
    });
    await t.db.apiKey.create({
      data: {
        id: newId("apiKey"),
        organizationId,
        name: "later",
        hash: newId("apiKey"),
        prefix: "sk-…",
        scopes: ["chat"],
        expiresAt: new Date(clock.now().getTime() + 30 * 86_400_000),
      },
    });
    await notifyExpiringCredentials({ db: t.db, clock });
    await notifyExpiringCredentials({ db: t.db, clock });
    let rows = await deliveriesOf(endpoint.id);
    expect(rows.map((row) => WebhookEventSchema.parse(row.payload).data)).toEqual([
      {
        credential_type: "api_key",
        credential_id: keyId,
        organization_id: organizationId,
        expires_at: expiresAt.toISOString(),
      },
    ]);
    await t.db.apiKey.update({
      where: { id: keyId },
      data: { expiresAt: new Date(expiresAt.getTime() + 86_400_000) },
    });
    await notifyExpiringCredentials({ db: t.db, clock });
    rows = await deliveriesOf(endpoint.id);
    expect(rows).toHaveLength(2);
  });
});

describe("master key rotation", () => {
  it("seals every signing secret again under the newest master key, which then signs alone", async () => {
    const receiver = await startReceiver();
    const organizationId = await newOrganization();
    const { endpoint, secret } = await newEndpoint(organizationId, receiver.url());
    await rotateWebhookSecret(
      { db: t.db, clock, keyring },
      { endpointId: endpoint.id, viewer: { organizationId }, gracePeriodMs: 3_600_000, actor },
    );
    const newer = parseMasterKeyring(
      `2:${Buffer.alloc(32, 6).toString("base64")},1:${Buffer.alloc(32, 5).toString("base64")}`,
    );
    const { rewrapped } = await rewrapWebhookSecrets({ db: t.db, clock, keyring: newer });
    expect(rewrapped).toBeGreaterThanOrEqual(1);
    const row = await t.db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } });
    expect([row.secretKeyVersion, row.previousSecretKeyVersion]).toEqual([2, 2]);
    expect(await rewrapWebhookSecrets({ db: t.db, clock, keyring: newer })).toMatchObject({ rewrapped: 0 });
    // the old master key retired, the previous secret (the one created first) still signs
    const onlyNewer = parseMasterKeyring(`2:${Buffer.alloc(32, 6).toString("base64")}`);
    await sendTestWebhookEvent(
      { db: t.db, clock },
      { endpointId: endpoint.id, viewer: { organizationId }, actor },
    );
    const [delivery] = await deliveriesOf(endpoint.id);
    expect(
      await deliverWebhook(
        { ...deliveryDeps(), keyring: onlyNewer },
        { deliveryId: delivery?.id as string, isLastAttempt: false },
      ),
    ).toBe("succeeded");
    const [request] = receiver.received;
    expect(() =>
      new Webhook(secret).verify(request?.body as string, request?.headers as Record<string, string>),
    ).not.toThrow();
  });
});

describe("deployment.breaker_opened", () => {
  it("goes to the platform's endpoints once a minute per deployment, with the deployment's model", async () => {
    const platform = await newEndpoint(null, "https://hooks.example.com/breakers", [
      "deployment.breaker_opened",
    ]);
    const model = await t.db.model.findFirstOrThrow({ select: { id: true } });
    const deploymentId = newId("deployment");
    await t.db.modelDeployment.create({ data: { id: deploymentId, modelId: model.id } });
    const at = new Date("2026-12-03T10:15:20Z");
    const opening = {
      deploymentId,
      at,
      coolingUntil: new Date(at.getTime() + 30_000),
      consecutiveFailures: 5,
    };
    expect((await announceBreakerOpened({ db: t.db, clock }, opening)).deliveries).toBe(1);
    // another gateway's breaker, opened in the same minute by the same outage
    expect(
      await announceBreakerOpened({ db: t.db, clock }, { ...opening, at: new Date(at.getTime() + 10_000) }),
    ).toEqual({ eventId: null, deliveries: 0 });
    expect(
      await announceBreakerOpened({ db: t.db, clock }, { ...opening, deploymentId: "dep_gone" }),
    ).toEqual({ eventId: null, deliveries: 0 });
    const [delivery] = await deliveriesOf(platform.endpoint.id);
    expect(WebhookEventSchema.parse(delivery?.payload).data).toEqual({
      deployment_id: deploymentId,
      model_id: model.id,
      opened_at: at.toISOString(),
      retry_after: new Date(at.getTime() + 30_000).toISOString(),
      failures: 5,
    });
    await t.db.webhookEndpoint.delete({ where: { id: platform.endpoint.id } });
  });
});
