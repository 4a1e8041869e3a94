import type { Metadata } from "next";
import { requireRole } from "../../../server/session.ts";
import { type AuditFilterParams, auditFilterFieldsOf } from "./audit-log-filters.ts";
import { AuditLogList } from "./audit-log-list.tsx";

export const metadata: Metadata = { title: "Audit log" };

/** Who did what, to what, from where: every recorded action, newest first. Read-only. */
export default async function AuditLogPage({ searchParams }: { searchParams: Promise<AuditFilterParams> }) {
  await requireRole("ADMIN", "COMPLIANCE");
  const { fields, organizationId } = auditFilterFieldsOf(await searchParams);
  return <AuditLogList initial={fields} initialOrganizationId={organizationId} />;
}
