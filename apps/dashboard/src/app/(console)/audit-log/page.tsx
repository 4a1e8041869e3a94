import type { Metadata } from "next";
import { requireRole } from "../../../server/session.ts";
import { AuditLogList } from "./audit-log-list.tsx";

export const metadata: Metadata = { title: "Audit log" };

/** Who did what, to what, from where: every recorded action, newest first. Read-only. */
export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<{
    actor?: string;
    action?: string;
    targetType?: string;
    targetId?: string;
    organization?: string;
  }>;
}) {
  await requireRole("ADMIN", "COMPLIANCE");
  const query = await searchParams;
  return (
    <AuditLogList
      initial={{
        actorId: query.actor ?? "",
        action: query.action ?? "",
        targetType: query.targetType ?? "",
        targetId: query.targetId ?? "",
        fromDay: "",
        toDay: "",
      }}
      initialOrganizationId={query.organization || undefined}
    />
  );
}
