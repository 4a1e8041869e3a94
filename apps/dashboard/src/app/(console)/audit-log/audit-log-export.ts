import type { AppRouter } from "@dsc/trpc";
import { AUDIT_LOG_EXPORT_MAX_ROWS, AUDIT_LOG_PAGE_MAX_SIZE, type AuditLogFilter } from "@dsc/trpc/schemas";
import type { TRPCClient } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { type CsvColumn, downloadCsv, toCsv } from "../../../components/csv.ts";

type AuditEvent = inferRouterOutputs<AppRouter>["auditLog"]["search"]["items"][number];

const COLUMNS: CsvColumn<AuditEvent>[] = [
  { header: "id", value: (event) => event.id },
  { header: "occurred_at", value: (event) => event.occurredAt },
  { header: "actor_type", value: (event) => event.actorType },
  { header: "actor_id", value: (event) => event.actorId },
  { header: "actor_name", value: (event) => event.actor?.name ?? event.actor?.email },
  { header: "action", value: (event) => event.action },
  { header: "target_type", value: (event) => event.targetType },
  { header: "target_id", value: (event) => event.targetId },
  { header: "organization_id", value: (event) => event.organizationId },
  { header: "organization_name", value: (event) => event.organizationName },
  { header: "origin", value: (event) => event.origin },
  { header: "metadata", value: (event) => (event.metadata === null ? "" : JSON.stringify(event.metadata)) },
];

/**
 * The events under the filter as a CSV download, read through the same procedure as the page
 * (so the same roles apply), 1,000 a page, at most AUDIT_LOG_EXPORT_MAX_ROWS. The export is
 * recorded in the audit log before the file is offered; one that cannot be recorded is not
 * offered. Says whether the filter holds more than the export took.
 */
export async function exportAuditLog(
  client: TRPCClient<AppRouter>,
  filter: AuditLogFilter,
  onProgress: (rows: number) => void,
): Promise<{ rows: number; isCapped: boolean }> {
  const events: AuditEvent[] = [];
  let after: string | undefined;
  let isCapped = false;
  for (;;) {
    const page = await client.auditLog.search.query({
      ...filter,
      limit: AUDIT_LOG_PAGE_MAX_SIZE,
      ...(after ? { after } : {}),
    });
    events.push(...page.items);
    onProgress(events.length);
    if (!page.nextCursor) break;
    if (events.length >= AUDIT_LOG_EXPORT_MAX_ROWS) {
      isCapped = true;
      break;
    }
    after = page.nextCursor;
  }
  const rows = events.slice(0, AUDIT_LOG_EXPORT_MAX_ROWS);
  await client.auditLog.recordExport.mutate({ filter, rows: rows.length });
  downloadCsv(`audit-log-${new Date().toISOString().slice(0, 10)}.csv`, toCsv(COLUMNS, rows));
  return { rows: rows.length, isCapped };
}
