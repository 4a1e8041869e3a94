import type { Database } from "@dsc/db";
import type { UsageGrouping } from "@dsc/vocabulary";

/**
 * What people call the groups of a chart: tiers and organizations by name, credentials by the
 * key's or OAuth client's name, models and end users by their ids. The keys come from roll-up
 * rows the caller may see, so looking them up by id reveals nothing more.
 */
export async function labelUsageGroups(
  deps: { db: Database },
  groupBy: UsageGrouping,
  keys: string[],
): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  const named = keys.filter((key) => key !== "");
  if (keys.includes("")) labels.set("", NONE_LABELS[groupBy] ?? "None");
  if (named.length === 0) return labels;
  const where = { where: { id: { in: named } }, select: { id: true, name: true } } as const;
  let rows: { id: string; name: string }[] = [];
  if (groupBy === "tier") rows = await deps.db.tier.findMany(where);
  if (groupBy === "organization") rows = await deps.db.organization.findMany(where);
  if (groupBy === "apiKey") {
    rows = [
      ...(await deps.db.apiKey.findMany(where)),
      ...(await deps.db.oAuthClient.findMany(where)).map((client) => ({
        id: client.id,
        name: `${client.name} (OAuth client)`,
      })),
    ];
  }
  for (const row of rows) labels.set(row.id, row.name);
  return labels;
}

const NONE_LABELS: Partial<Record<UsageGrouping, string>> = {
  model: "No model",
  apiKey: "No key",
};
