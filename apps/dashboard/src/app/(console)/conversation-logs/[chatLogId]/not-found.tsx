import type { Metadata } from "next";
import { NotFoundPanel } from "../../../../components/not-found-panel.tsx";

export const metadata: Metadata = { title: "Not found" };

/**
 * A log id that names no log (HTTP 404). Nothing of a log is kept once its retention or an
 * erasure deletes it, so a log that was there and one that never was look the same: the text
 * says both.
 */
export default function ConversationLogNotFound() {
  return (
    <NotFoundPanel
      heading="Conversation log not found"
      description="No log has this address. It may have expired or been erased, since nothing of a log is kept once it is deleted, or the address may be mistyped."
      href="/conversation-logs"
      linkLabel="Back to conversation logs"
    />
  );
}
