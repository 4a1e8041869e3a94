import type { Metadata } from "next";
import { requireRole } from "../../../server/session.ts";
import { ConversationLogsList } from "./conversation-logs-list.tsx";

export const metadata: Metadata = { title: "Conversation logs" };

/** An organization's logs, metadata only; opening one happens on its own page, with a reason. */
export default async function ConversationLogsPage({
  searchParams,
}: {
  searchParams: Promise<{ organization?: string; endUser?: string }>;
}) {
  await requireRole("ADMIN", "COMPLIANCE");
  const { organization, endUser } = await searchParams;
  return (
    <ConversationLogsList
      initialOrganizationId={organization || undefined}
      initialEndUserId={endUser || undefined}
    />
  );
}
