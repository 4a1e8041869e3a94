import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { recordErasureStarted } from "../chat-logs/erasure-tombstones.ts";
import { deadLetterUsage } from "./dead-letter-usage.ts";
import { insertUsageEvents } from "./insert-usage-events.ts";
import type { UsageRecord } from "./usage-writer.ts";

/*
 * A usage record made before its end user's erasure started but written after it (the writer
 * batches, and keeps records while the database fails) comes in without the end-user id, as
 * the erasure would have cleared it; one made after the start is new traffic and keeps it.
 */
let t: TestDatabase;
const MADE_AT = new Date("2026-11-01T10:00:00Z");
const SECOND = 1_000;

beforeAll(async () => {
  t = await createTestDatabase();
});

async function newOrganizationId(): Promise<string> {
  const tier = await t.db.tier.findUniqueOrThrow({ where: { slug: "free" } });
  const id = `org_${randomBytes(5).toString("hex")}`;
  await t.db.organization.create({ data: { id, name: "Late usage", tierId: tier.id } });
  return id;
}

function usage(organizationId: string, endUserId: string | null, createdAt = MADE_AT): UsageRecord {
  return {
    requestId: `req_${randomBytes(6).toString("hex")}`,
    organizationId,
    apiKeyId: null,
    oauthClientId: null,
    modelId: "deepseek-chat",
    endpoint: "/v1/chat/completions",
    status: 200,
    latencyMs: 5,
    promptTokens: 7,
    completionTokens: 3,
    cached: false,
    endUserId,
    createdAt,
  };
}

async function endUserOf(record: UsageRecord): Promise<string | null> {
  const row = await t.db.usageEvent.findFirstOrThrow({ where: { requestId: record.requestId } });
  return row.endUserId;
}

describe("usage written after its end user's erasure started", () => {
  it("loses the end-user id when made before the start, and keeps it when made after", async () => {
    const organizationId = await newOrganizationId();
    const erasedAt = new Date(MADE_AT.getTime() + SECOND);
    await recordErasureStarted(t.db, { type: "END_USER", organizationId, id: "uma" }, erasedAt);
    const late = usage(organizationId, "uma");
    const atTheStart = usage(organizationId, "uma", erasedAt);
    const newTraffic = usage(organizationId, "uma", new Date(erasedAt.getTime() + SECOND));
    const someoneElse = usage(organizationId, "victor");
    const organizationOwn = usage(organizationId, null);
    await insertUsageEvents(t.db, [late, atTheStart, newTraffic, someoneElse, organizationOwn]);

    expect(await endUserOf(late)).toBeNull();
    expect(await endUserOf(atTheStart)).toBeNull();
    expect(await endUserOf(newTraffic)).toBe("uma");
    expect(await endUserOf(someoneElse)).toBe("victor");
    expect(await endUserOf(organizationOwn)).toBeNull();
    // the counts stay
    expect(await t.db.usageEvent.count({ where: { organizationId } })).toBe(5);
  });

  it("loses it when its organization's erasure started after it was made", async () => {
    const organizationId = await newOrganizationId();
    const elsewhere = await newOrganizationId();
    await recordErasureStarted(
      t.db,
      { type: "ORGANIZATION", organizationId, id: organizationId },
      new Date(MADE_AT.getTime() + SECOND),
    );
    const late = usage(organizationId, "walt");
    const sameIdElsewhere = usage(elsewhere, "walt");
    await insertUsageEvents(t.db, [late, sameIdElsewhere]);
    expect(await endUserOf(late)).toBeNull();
    expect(await endUserOf(sameIdElsewhere)).toBe("walt");
  });

  it("is dead-lettered without the end-user id too", async () => {
    const organizationId = await newOrganizationId();
    await recordErasureStarted(
      t.db,
      { type: "END_USER", organizationId, id: "xena" },
      new Date(MADE_AT.getTime() + SECOND),
    );
    const refusal = new Error('value "1000000000000000" is out of range for type integer');
    await deadLetterUsage(t.db, { ...usage(organizationId, "xena"), promptTokens: 10 ** 15 }, refusal);
    await deadLetterUsage(t.db, usage(organizationId, "yara"), refusal);
    const kept = await t.db.usageDeadLetter.findMany({ where: { organizationId }, orderBy: { id: "asc" } });
    expect(kept.map((row) => (row.record as { endUserId: string | null }).endUserId)).toEqual([null, "yara"]);
    expect(kept[0]?.record).toMatchObject({ promptTokens: 10 ** 15 });
  });
});
