import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import { requireRole } from "../../../../server/session.ts";
import { getServerCaller } from "../../../../server/trpc-caller.ts";
import { ConversationLogViewer, LogGone } from "./conversation-log-viewer.tsx";

export const metadata: Metadata = { title: "Conversation log" };

/**
 * One log's metadata, loaded on the server without decrypting it; its content is read only when
 * the viewer gives a reason. A log gone since the list was loaded says so, rather than failing.
 */
export default async function ConversationLogPage({ params }: { params: Promise<{ chatLogId: string }> }) {
  await requireRole("ADMIN", "COMPLIANCE");
  const { chatLogId } = await params;
  const caller = await getServerCaller();
  const log = await caller.conversationLogs.get({ chatLogId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") return null;
    throw error;
  });
  return log ? <ConversationLogViewer log={log} /> : <LogGone />;
}
