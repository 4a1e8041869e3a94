import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { createDashboardWorld, type DashboardWorld } from "../testing/dashboard-world.ts";

let t: TestDatabase;
let w: DashboardWorld;
// receivers in these tests are never called; names are not resolved when private addresses are allowed
const allowPrivate = { webhookAddressPolicy: { allowPrivate: true } };
const as = (role: "ADMIN" | "COMPLIANCE" | "DEVELOPER") => w.caller(w.people[role], allowPrivate);
const hook = { url: "https://hooks.example.com/dsc", eventTypes: ["quota.threshold_reached"] };

beforeAll(async () => {
  t = await createTestDatabase();
  w = await createDashboardWorld(t.db);
});

describe("webhooks", () => {
  it("are created with their secret shown once, changed, tested, rotated and deleted by a developer, each audited", async () => {
    const dev = as("DEVELOPER");
    const { endpoint, secret } = await dev.webhooks.create({
      ...hook,
      organizationId: w.ownOrg,
      description: "alerts",
    });
    expect(secret).toMatch(/^whsec_/);
    expect(endpoint).toMatchObject({ organizationId: w.ownOrg, description: "alerts", enabled: true });
    expect(JSON.stringify(await dev.webhooks.list({ organizationId: w.ownOrg }))).not.toContain(secret);

    const updated = await dev.webhooks.update({
      endpointId: endpoint.id,
      eventTypes: ["credential.expiring", "quota.threshold_reached"],
    });
    expect(updated.eventTypes).toEqual(["credential.expiring", "quota.threshold_reached"]);
    await dev.webhooks.sendTest({ endpointId: endpoint.id });
    const deliveries = await dev.webhooks.deliveries({ endpointId: endpoint.id });
    expect(deliveries.items).toHaveLength(1);
    expect(deliveries.items[0]).toMatchObject({ eventType: "webhook.test", status: "PENDING", attempts: 0 });
    const rotated = await dev.webhooks.rotateSecret({ endpointId: endpoint.id, gracePeriod: "1h" });
    expect(rotated.secret).not.toBe(secret);
    expect((await dev.webhooks.setEnabled({ endpointId: endpoint.id, enabled: false })).enabled).toBe(false);
    expect((await dev.webhooks.setEnabled({ endpointId: endpoint.id, enabled: true })).enabled).toBe(true);
    await dev.webhooks.delete({ endpointId: endpoint.id });
    expect((await dev.webhooks.list({ organizationId: w.ownOrg })).items).toHaveLength(0);

    const audits = await t.db.auditEvent.findMany({
      where: { targetId: endpoint.id },
      orderBy: { id: "asc" },
    });
    expect(audits.map((audit) => [audit.action, audit.actorId])).toEqual(
      [
        "webhook_endpoint.create",
        "webhook_endpoint.update",
        "webhook_endpoint.send_test",
        "webhook_endpoint.rotate_secret",
        "webhook_endpoint.disable",
        "webhook_endpoint.enable",
        "webhook_endpoint.delete",
      ].map((action) => [action, w.people.DEVELOPER.id]),
    );
    for (const audit of audits) expect(JSON.stringify(audit.metadata)).not.toContain("whsec_");
  });

  it("keep developers inside their organization and out of the platform's endpoints", async () => {
    const admin = as("ADMIN");
    const dev = as("DEVELOPER");
    const theirs = await admin.webhooks.create({ ...hook, organizationId: w.otherOrg });
    const platform = await admin.webhooks.create({ ...hook, organizationId: null });
    await expect(dev.webhooks.create({ ...hook, organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(dev.webhooks.create({ ...hook, organizationId: null })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(dev.webhooks.list({ organizationId: w.otherOrg })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(dev.webhooks.list({ organizationId: null })).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const id of [theirs.endpoint.id, platform.endpoint.id]) {
      await expect(dev.webhooks.setEnabled({ endpointId: id, enabled: false })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      await expect(dev.webhooks.deliveries({ endpointId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(dev.webhooks.rotateSecret({ endpointId: id })).rejects.toMatchObject({
        code: "NOT_FOUND",
      });
      await expect(dev.webhooks.delete({ endpointId: id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    expect((await admin.webhooks.list({ organizationId: null })).items.map((e) => e.id)).toContain(
      platform.endpoint.id,
    );
    // compliance officers read, and change nothing
    const compliance = as("COMPLIANCE");
    expect((await compliance.webhooks.list({ organizationId: w.otherOrg })).items).toHaveLength(1);
    await expect(compliance.webhooks.delete({ endpointId: theirs.endpoint.id })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await admin.webhooks.delete({ endpointId: platform.endpoint.id });
  });

  it("refuse private addresses unless the dashboard allows them, and bad input", async () => {
    const strict = w.as("ADMIN");
    await expect(
      strict.webhooks.create({ ...hook, url: "http://127.0.0.1:8080/hook", organizationId: w.ownOrg }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/private, loopback/) });
    await expect(
      strict.webhooks.create({ ...hook, url: "http://[fd00::1]/hook", organizationId: w.ownOrg }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      as("ADMIN").webhooks.create({ ...hook, url: "http://127.0.0.1:8080/hook", organizationId: w.ownOrg }),
    ).resolves.toMatchObject({ endpoint: { url: "http://127.0.0.1:8080/hook" } });
    await expect(
      as("ADMIN").webhooks.create({ ...hook, eventTypes: ["nope"], organizationId: w.ownOrg }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(
      as("ADMIN").webhooks.create({ ...hook, url: "gopher://hooks.example.com", organizationId: w.ownOrg }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
