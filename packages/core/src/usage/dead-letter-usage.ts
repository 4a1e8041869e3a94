import { type Database, sqlPoolOf } from "@dsc/db";
import type { UsageRecord } from "./usage-writer.ts";

/** PostgreSQL's text and jsonb cannot hold U+0000: it is kept as the six characters `\u0000`. */
const escapeNul = (text: string) => text.replaceAll("\u0000", "\\u0000");

/**
 * Keeps a usage record the database refused in usage_dead_letter, with the refusal's message,
 * so that a person can settle it and the records queued behind it are written.
 */
export async function deadLetterUsage(db: Database, record: UsageRecord, error: unknown): Promise<void> {
  const json = JSON.stringify(record, (_key, value: unknown) =>
    typeof value === "string" ? escapeNul(value) : value,
  );
  const message = error instanceof Error ? error.message : String(error);
  await sqlPoolOf(db).query(
    "INSERT INTO usage_dead_letter (organization_id, record, error) VALUES ($1, $2::jsonb, $3)",
    [escapeNul(record.organizationId), json, escapeNul(message)],
  );
}
