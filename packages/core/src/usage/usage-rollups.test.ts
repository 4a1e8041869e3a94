import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { sqlPoolOf } from "@dsc/db";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, fakeClock, type TestDatabase } from "../../../../test/support/database.ts";
import { cliActor } from "../audit/actor.ts";
import { createOrganization } from "../organizations/create-organization.ts";
import { queryUsageAnalytics } from "../usage-analytics/query-usage-analytics.ts";
import { insertUsageEvents } from "./insert-usage-events.ts";
import { pruneRollups } from "./prune-rollups.ts";
import { addToRollupsSql, LATENCY_BOUNDS_MS, LATENCY_COLUMNS } from "./usage-rollups.ts";
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
    "status_429::bigint, status_other::bigint, " +
    `ARRAY[${LATENCY_COLUMNS.join(", ")}]::bigint[] AS latency`;
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
            count(*) FILTER (WHERE e.status = 418)::bigint AS status_other,
            ARRAY[${LATENCY_COLUMNS.map(
              (_, i) =>
                `count(*) FILTER (WHERE width_bucket(e.latency_ms, '{${LATENCY_BOUNDS_MS.join(",")}}'::int[]) = ${i})`,
            ).join(", ")}]::bigint[] AS latency
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
      ["hour", "day", "month"],
    );
    expect(organization.rolled).toEqual(organization.direct);
    const credential = await rollupAgainstEvents(
      "usage_rollup_credential",
      ["organization_id", "credential_id", "tier_id", "model_id"],
      [...all, "month"],
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

  it("are rebuilt the same from usage_event by addToRollupsSql, of the grains asked for", async () => {
    const pool = sqlPoolOf(t.db);
    await insertUsageEvents(t.db, randomBatch(400, 31));
    const tables = ["usage_rollup_platform", "usage_rollup_organization", "usage_rollup_credential"];
    // as text, in one order: the rows themselves, bigints and numerics as the driver reads them
    const rowsOf = async (table: string) =>
      (await pool.query(`SELECT * FROM ${table}`)).rows.map((row) => JSON.stringify(row)).sort();
    const written = await Promise.all(tables.map((table) => rowsOf(table)));
    expect(written.every((rows) => rows.length > 0)).toBe(true);

    await pool.query(`TRUNCATE ${tables.join(", ")}, usage_rollup_end_user, usage_rollup_month`);
    await pool.query(addToRollupsSql("usage_event", ["hour", "day"]));
    const hourly = await Promise.all(tables.map((table) => rowsOf(table)));
    expect(hourly).toEqual(written.map((rows) => rows.filter((row) => /"grain":"(hour|day)"/.test(row))));
    expect(hourly.every((rows) => rows.length > 0)).toBe(true);

    await pool.query(`TRUNCATE ${tables.join(", ")}, usage_rollup_end_user, usage_rollup_month`);
    await pool.query(addToRollupsSql("usage_event"));
    expect(await Promise.all(tables.map((table) => rowsOf(table)))).toEqual(written);
  });

  it("lose their minute rows after 48 hours and hour rows after 400 days, in bounded batches", async () => {
    const minutes = () => t.db.usageRollupPlatform.count({ where: { grain: "minute" } });
    expect(await minutes()).toBeGreaterThan(0);
    const early = fakeClock(new Date("2026-03-01T12:00:00Z"));
    expect((await pruneRollups({ db: t.db, clock: early })).deleted).toBe(0);
    const late = fakeClock(new Date("2026-03-03T03:00:00Z"));
    const pruned = await pruneRollups({ db: t.db, clock: late }, { batchSize: 100 });
    expect(pruned.deleted).toBeGreaterThan(100);
    expect(await minutes()).toBe(0);
    expect(await t.db.usageRollupEndUser.count({ where: { grain: "minute" } })).toBe(0);

    const hours = async () => {
      const pool = sqlPoolOf(t.db);
      const counts = await Promise.all(
        [
          "usage_rollup_platform",
          "usage_rollup_organization",
          "usage_rollup_credential",
          "usage_rollup_end_user",
        ].map((table) => pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE grain = 'hour'`)),
      );
      return counts.map((result) => result.rows[0].n as number);
    };
    const days = () => t.db.usageRollupOrganization.count({ where: { grain: "day" } });
    const daysBefore = await days();
    // the last hour of usage starts 2026-03-01T01:00: 400 days later, less a minute, it is kept
    const notYet = fakeClock(new Date(Date.parse("2026-03-01T01:00:00Z") + 400 * 86_400_000 - 60_000));
    await pruneRollups({ db: t.db, clock: notYet });
    expect((await hours()).every((n) => n > 0)).toBe(true);
    const past = fakeClock(new Date("2027-04-10T00:00:00Z"));
    const prunedHours = await pruneRollups({ db: t.db, clock: past }, { batchSize: 7 });
    expect(prunedHours.batches).toBeGreaterThan(4);
    expect(await hours()).toEqual([0, 0, 0, 0]);
    expect(await days()).toBe(daysBefore);
    expect(daysBefore).toBeGreaterThan(0);
    expect(await t.db.usageRollupMonth.count()).toBeGreaterThan(0);
  });

  it("count past 32 bits: a day row takes more than 2^31 requests, and the next batch adds to it", async () => {
    const pool = sqlPoolOf(t.db);
    const [row] = (
      await pool.query(
        "SELECT tier_id, model_id, bucket_start FROM usage_rollup_platform WHERE grain = 'day' LIMIT 1",
      )
    ).rows;
    const huge = 2 ** 31 + 5;
    await pool.query(
      `UPDATE usage_rollup_platform SET requests = $1, latency_00 = $1, status_other = $1
        WHERE grain = 'day' AND tier_id = $2 AND model_id = $3 AND bucket_start = $4`,
      [huge, row.tier_id, row.model_id, row.bucket_start],
    );
    // an event of that row's day, tier and model
    const organization = await t.db.organization.findFirstOrThrow({ where: { tierId: row.tier_id } });
    await insertUsageEvents(t.db, [
      {
        ...(randomBatch(1, 5)[0] as UsageRecord),
        organizationId: organization.id,
        modelId: row.model_id === "" ? null : row.model_id,
        status: 418,
        latencyMs: 1,
        createdAt: new Date(row.bucket_start.getTime() + 60_000),
      },
    ]);
    const after = await pool.query(
      `SELECT requests, latency_00, status_other FROM usage_rollup_platform
        WHERE grain = 'day' AND tier_id = $1 AND model_id = $2 AND bucket_start = $3`,
      [row.tier_id, row.model_id, row.bucket_start],
    );
    expect(after.rows[0]).toEqual({
      requests: String(huge + 1),
      latency_00: String(huge + 1),
      status_other: String(huge + 1),
    });
    // and the analytics read it as a number
    const day = row.bucket_start as Date;
    const answer = await queryUsageAnalytics(
      { db: t.db, clock: fakeClock(day) },
      {
        organizationId: null,
        visibleTo: null,
        from: day,
        to: new Date(day.getTime() + 86_400_000),
        bucket: "day",
        groupBy: "none",
        tierId: row.tier_id,
        modelId: row.model_id || undefined,
      },
    );
    expect(answer.totals.requests).toBeGreaterThan(huge);
    expect(typeof answer.totals.requests).toBe("number");
    expect(answer.totals.latencyP50Ms).toBe(5);
  });
});

describe("the migrations' backfills", () => {
  it("roll up every event by hour, day and month, and by the minute only the last 48 hours, inserting no row they delete", async () => {
    const migration = (name: string) =>
      readFile(new URL(`../../../../prisma/migrations/${name}/migration.sql`, import.meta.url), "utf8");
    const rollups = await migration("20261202173131_usage_rollups");
    // the roll-ups' backfill, then the month rows of the organization and credential roll-ups
    // made from its day rows
    const backfill = `${rollups.slice(rollups.indexOf("-- Backfill"))};
${await migration("20261203043000_usage_rollup_month_rows")}`;
    expect(backfill.length).toBeGreaterThan(1000);
    const pool = sqlPoolOf(t.db);
    const tables = [
      "usage_rollup_platform",
      "usage_rollup_organization",
      "usage_rollup_credential",
      "usage_rollup_end_user",
      "usage_rollup_month",
    ];
    await pool.query(`TRUNCATE ${tables.join(", ")}`);
    await pool.query("DELETE FROM usage_event");
    // events ten days ago and an hour ago, written by the writer: what the backfill must rebuild
    const now = Date.now();
    const batch = randomBatch(200, 7).map((event, i) => ({
      ...event,
      createdAt: new Date(now - (i % 2 === 0 ? 10 * 86_400_000 : 3_600_000) - (i % 50) * 60_000),
    }));
    await insertUsageEvents(t.db, batch);
    const snapshot = async () => {
      const rows: Record<string, string[]> = {};
      for (const table of tables) {
        const result = await pool.query(`SELECT * FROM ${table}`);
        rows[table] = result.rows
          .filter((row) => !(row.grain === "minute" && row.bucket_start.getTime() < now - 48 * 3_600_000))
          .map((row) => JSON.stringify(row))
          .sort();
      }
      return rows;
    };
    const written = await snapshot();
    expect(written.usage_rollup_platform?.some((row) => row.includes('"grain":"minute"'))).toBe(true);
    await pool.query(`TRUNCATE ${tables.join(", ")}`);

    // a connection of its own: a backend's counts not yet reported would show too
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      await client.query("BEGIN");
      await client.query(backfill);
      const stats = await client.query(
        `SELECT relname, n_tup_ins, n_tup_del FROM pg_stat_xact_user_tables WHERE relname = ANY($1) ORDER BY relname`,
        [tables],
      );
      const live: number[] = [];
      for (const table of tables) {
        live.push((await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n);
      }
      await client.query("COMMIT");
      for (const stat of stats.rows) {
        expect(Number(stat.n_tup_del)).toBe(0);
        expect(Number(stat.n_tup_ins)).toBe(live[tables.indexOf(stat.relname)]);
      }
    } finally {
      await client.end();
    }
    const oldMinutes = await pool.query(
      "SELECT count(*)::int AS n FROM usage_rollup_platform WHERE grain = 'minute' AND bucket_start < $1",
      [new Date(now - 48 * 3_600_000)],
    );
    expect(oldMinutes.rows[0].n).toBe(0);
    expect(await snapshot()).toEqual(written);
  });
});
