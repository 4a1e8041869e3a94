import { randomBytes } from "node:crypto";
import { sqlPoolOf } from "@dsc/db";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { insertUsageEvents } from "./insert-usage-events.ts";
import { pruneMinuteRollups } from "./prune-minute-rollups.ts";
import type { UsageRecord } from "./usage-writer.ts";

let t: TestDatabase;
const MODELS = ["model-cheap", "model-dear"];
const STATUSES = [200, 200, 200, 400, 401, 404, 429, 500, 503, 418];
let organizations: string[];

beforeAll(async () => {
  t = await createTestDatabase();
  const tiers = await t.db.tier.findMany({ select: { slug: true } });
  organizations = [];
  for (const [i, tier] of tiers.slice(0, 3).entries()) {
    const deps = { db: t.db, clock: fakeClock() };
    organizations.push(
      (await createOrganization(deps, { name: `R${i}`, tier: tier.slug, actor: cliActor() })).id,
    );
  }
  for (const [i, id] of MODELS.entries()) {
    await t.db.model.create({
      data: { id, provider: "LOCAL", inputPricePerMTokens: 0.5 + i, outputPricePerMTokens: 2 + 3 * i },
    });
  }
});

/** A random but reproducible mix: organizations, keys, models, statuses, end users and times. */
function randomBatch(size: number, seed: number): UsageRecord[] {
  let state = seed;
  const next = (n: number) => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state % n;
  };
  const start = Date.parse("2026-02-28T22:00:00Z");
  return Array.from({ length: size }, () => {
    const organizationId = organizations[next(organizations.length)] as string;
    return {
      requestId: `req_${randomBytes(6).toString("hex")}`,
      organizationId,
      apiKeyId: next(4) === 0 ? null : `key_${organizationId}_${next(3)}`,
      oauthClientId: null,
      modelId: next(5) === 0 ? null : (MODELS[next(MODELS.length)] as string),
      endpoint: "/v1/chat/completions",
      status: STATUSES[next(STATUSES.length)] as number,
      latencyMs: next(5_000),
      promptTokens: next(2_000),
      completionTokens: next(500),
      cached: next(6) === 0,
      endUserId: next(3) === 0 ? null : `user-${next(5)}`,
      // across an hour, a day and a month boundary
      createdAt: new Date(start + next(4 * 3_600_000)),
    };
  });
}

/** A roll-up's rows, and the same from usage_event aggregated directly, as comparable text. */
async function rollupAgainstEvents(table: string, dimensions: string[], grains: string[]) {
  const pool = sqlPoolOf(t.db);
  const key = ["grain", "bucket_start", ...dimensions].join(", ");
  const measures =
    "requests::bigint, prompt_tokens, completion_tokens, cache_hits::bigint, round(spend_usd, 6) AS spend, " +
    "(status_400 + status_401 + status_404 + status_429 + status_500 + status_503 + status_other)::bigint AS errors, " +
    "status_429::bigint, status_other::bigint";
  const rolled = await pool.query(`SELECT ${key}, ${measures} FROM ${table} ORDER BY ${key}`);
  const dimensionOf: Record<string, string> = {
    tier_id: "org.tier_id",
    organization_id: "e.organization_id",
    model_id: "coalesce(e.model_id, '')",
    credential_id: "coalesce(e.api_key_id, e.oauth_client_id, '')",
    end_user_id: "e.end_user_id",
  };
  const direct = await pool.query(
    `SELECT g.grain, date_trunc(g.grain, e.created_at) AS bucket_start,
            ${dimensions.map((d) => `${dimensionOf[d]} AS ${d}`).join(", ")},
            count(*)::bigint AS requests, sum(e.prompt_tokens)::bigint AS prompt_tokens,
            sum(e.completion_tokens)::bigint AS completion_tokens,
            count(*) FILTER (WHERE e.cached)::bigint AS cache_hits,
            round(coalesce(sum(e.prompt_tokens * m.input_price_per_m_tokens
                             + e.completion_tokens * m.output_price_per_m_tokens), 0) / 1000000, 6) AS spend,
            count(*) FILTER (WHERE e.status >= 400)::bigint AS errors,
            count(*) FILTER (WHERE e.status = 429)::bigint AS status_429,
            count(*) FILTER (WHERE e.status = 418)::bigint AS status_other
       FROM usage_event e JOIN organization org ON org.id = e.organization_id
       LEFT JOIN model m ON m.id = e.model_id
       CROSS JOIN unnest($1::text[]) AS g(grain)
      ${dimensions.includes("end_user_id") ? "WHERE e.end_user_id IS NOT NULL" : ""}
      GROUP BY ${key} ORDER BY ${key}`,
    [grains],
  );
  const text = (rows: Record<string, unknown>[]) =>
    rows.map((row) => JSON.stringify(row, (_, value) => (typeof value === "bigint" ? String(value) : value)));
  return { rolled: text(rolled.rows), direct: text(direct.rows) };
}

describe("the usage roll-ups", () => {
  it("equal a direct aggregate of usage_event after batches written concurrently through the writer", async () => {
    // eight batches at once, over the same organizations, keys and buckets: every upsert meets
    // rows the others are writing
    await Promise.all(Array.from({ length: 8 }, (_, i) => insertUsageEvents(t.db, randomBatch(300, i + 1))));
    await insertUsageEvents(t.db, randomBatch(50, 99));
    expect(await t.db.usageEvent.count()).toBe(2_450);

    const all = ["minute", "hour", "day"];
    const platform = await rollupAgainstEvents("usage_rollup_platform", ["tier_id", "model_id"], all);
    expect(platform.rolled).toEqual(platform.direct);
    const organization = await rollupAgainstEvents(
      "usage_rollup_organization",
      ["organization_id", "tier_id", "model_id"],
      ["hour", "day"],
    );
    expect(organization.rolled).toEqual(organization.direct);
    const credential = await rollupAgainstEvents(
      "usage_rollup_credential",
      ["organization_id", "credential_id", "tier_id", "model_id"],
      all,
    );
    expect(credential.rolled).toEqual(credential.direct);
    const endUser = await rollupAgainstEvents(
      "usage_rollup_end_user",
      ["organization_id", "end_user_id", "model_id"],
      all,
    );
    expect(endUser.rolled).toEqual(endUser.direct);
    expect(endUser.rolled.length).toBeGreaterThan(0);

    const pool = sqlPoolOf(t.db);
    const months = await pool.query(
      "SELECT month_start, organization_id, credential_id, requests, tokens FROM usage_rollup_month ORDER BY 1, 2, 3",
    );
    const direct = await pool.query(
      `SELECT date_trunc('month', created_at) AS month_start, organization_id,
              coalesce(api_key_id, oauth_client_id, '') AS credential_id, count(*)::bigint AS requests,
              sum(prompt_tokens + completion_tokens)::bigint AS tokens
         FROM usage_event GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    expect(months.rows).toEqual(direct.rows);
    expect(new Set(months.rows.map((row) => row.month_start.getUTCMonth()))).toEqual(new Set([1, 2]));
  });

  it("lose their minute rows after 48 hours, in bounded batches", async () => {
    const minutes = () => t.db.usageRollupPlatform.count({ where: { grain: "minute" } });
    expect(await minutes()).toBeGreaterThan(0);
    const early = fakeClock(new Date("2026-03-01T12:00:00Z"));
    expect((await pruneMinuteRollups({ db: t.db, clock: early })).deleted).toBe(0);
    const late = fakeClock(new Date("2026-03-03T03:00:00Z"));
    const pruned = await pruneMinuteRollups({ db: t.db, clock: late }, { batchSize: 100 });
    expect(pruned.deleted).toBeGreaterThan(100);
    expect(await minutes()).toBe(0);
    expect(await t.db.usageRollupEndUser.count({ where: { grain: "minute" } })).toBe(0);
    expect(await t.db.usageRollupCredential.count({ where: { grain: "hour" } })).toBeGreaterThan(0);
  });
});
