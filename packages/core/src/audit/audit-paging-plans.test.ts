import { sqlPoolOf } from "@dsc/db";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../../../../test/support/database.ts";
import { type AuditEventFilter, auditEventPageStatement } from "./search-audit-events.ts";

// Timing a query on a test machine says little; the plan says whether it stays fast as the table
// grows. 200,000 events with statistics (ANALYZE) make PostgreSQL choose as it would over millions.

let t: TestDatabase;
const EVENTS = 200_000;

beforeAll(async () => {
  t = await createTestDatabase();
  const pool = sqlPoolOf(t.db);
  // an event every 10 s from 2026-01-01 (about 23 days), 1,000 actors, 500 organizations, 50,000
  // targets; most events share a few common actions, as sign-ins and key uses do, and one in a
  // thousand is a rare one, as a legal hold is
  await pool.query(
    `INSERT INTO audit_event (occurred_at, actor_type, actor_id, organization_id, action, target_type, target_id, origin, metadata)
     SELECT timestamp '2026-01-01' + g * interval '10 seconds', 'USER', 'usr_' || (g % 1000),
            CASE WHEN g % 10 = 0 THEN NULL ELSE 'org_' || (g % 500) END,
            CASE WHEN g % 1000 = 0 THEN 'action.rare' ELSE 'action.' || (g % 5) END, 'target', 'tgt_' || (g % 50000), '192.0.2.1', jsonb_build_object('n', g)
       FROM generate_series(1, $1::int) AS g`,
    [EVENTS],
  );
  await pool.query("ANALYZE audit_event");
}, 120_000);

async function planOf(filter: AuditEventFilter & { after?: string }): Promise<string> {
  const statement = auditEventPageStatement({ ...filter, limit: 51 });
  const { rows } = await sqlPoolOf(t.db).query<{ "QUERY PLAN": unknown }>(
    `EXPLAIN (FORMAT JSON) ${statement.text}`,
    statement.values,
  );
  return JSON.stringify(rows[0]?.["QUERY PLAN"]);
}

/** each filter, and the index its page must be read from */
const FILTERS: [string, AuditEventFilter & { after?: string }, string][] = [
  ["no filter", {}, "audit_event_pkey"],
  ["no filter, a later page", { after: "100000" }, "audit_event_pkey"],
  ["organization", { organizationId: "org_7" }, "audit_event_organization_id_id_idx"],
  ["actor", { actorId: "usr_42" }, "audit_event_actor_id_id_idx"],
  ["a rare action", { action: "action.rare" }, "audit_event_action_id_idx"],
  [
    "target type and id",
    { targetType: "target", targetId: "tgt_1234" },
    "audit_event_target_type_target_id_idx",
  ],
  ["from", { from: new Date("2026-01-20T00:00:00Z") }, "audit_event_occurred_at_idx"],
  ["to, long ago", { to: new Date("2026-01-02T00:00:00Z") }, "audit_event_occurred_at_idx"],
  [
    "to, a later page",
    { to: new Date("2026-01-02T00:00:00Z"), after: `${Date.parse("2026-01-01T12:00:00Z")}_4320` },
    "audit_event_occurred_at_idx",
  ],
  [
    "an old hour",
    { from: new Date("2026-01-03T10:00:00Z"), to: new Date("2026-01-03T11:00:00Z") },
    "audit_event_occurred_at_idx",
  ],
  [
    "organization in an old week",
    { organizationId: "org_9", from: new Date("2026-01-02T00:00:00Z"), to: new Date("2026-01-09T00:00:00Z") },
    "audit_event_organization_id_occurred_at_idx",
  ],
];

describe("audit log paging over a large table", () => {
  it("holds the events it is meant to plan over", async () => {
    expect(await t.db.auditEvent.count()).toBeGreaterThanOrEqual(EVENTS);
  });

  it.each(FILTERS)("reads its index, never the whole table, filtered by %s", async (_name, filter, index) => {
    const plan = await planOf(filter);
    expect(plan).not.toContain("Seq Scan");
    expect([...plan.matchAll(/"Index Name":"(\w+)"/g)].map((match) => match[1])).toContain(index);
  });
});
