import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireRole } from "../../../../server/session.ts";
import { getServerCaller } from "../../../../server/trpc-caller.ts";
import { ConversationLogViewer } from "./conversation-log-viewer.tsx";

export const metadata: Metadata = { title: "Conversation log" };

/**
 * One log's metadata, loaded on the server without decrypting it; its content is read only when
 * the viewer gives a reason. An id that names no log answers 404: core cannot tell one that never
 * existed from one purged or erased (nothing of it is kept), so the not-found page names both.
 * A log its erasure has reached but not yet deleted is shown, marked erased.
 */
export default async function ConversationLogPage({ params }: { params: Promise<{ chatLogId: string }> }) {
  await requireRole("ADMIN", "COMPLIANCE");
  const { chatLogId } = await params;
  const caller = await getServerCaller();
  const log = await caller.conversationLogs.get({ chatLogId }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST"))
      notFound();
    throw error;
  });
  return <ConversationLogViewer log={log} />;
}
