"use client";

import { useQuery } from "@tanstack/react-query";
import { formatDateTime } from "../../../components/format.ts";
import { QueryTable } from "../../../components/query-table.tsx";
import { Badge, type BadgeTone } from "../../../components/ui/badge.tsx";
import { useCursorPages } from "../../../components/ui/cursor-pager.tsx";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { InboxIcon } from "../../../components/ui/icons.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import type { WebhookEndpoint } from "./webhooks-view.tsx";

const STATUS_TONES: Record<string, BadgeTone> = {
  PENDING: "warning",
  SUCCEEDED: "success",
  FAILED: "danger",
};
const STATUS_LABELS: Record<string, string> = {
  PENDING: "Pending",
  SUCCEEDED: "Delivered",
  FAILED: "Failed",
};

/** An endpoint's deliveries, newest first, each with its attempts. */
export function DeliveriesDialog({ endpoint, onClose }: { endpoint: WebhookEndpoint; onClose: () => void }) {
  const trpc = useTRPC();
  const pages = useCursorPages();
  const deliveries = useQuery(
    trpc.webhooks.deliveries.queryOptions(
      { endpointId: endpoint.id, after: pages.after },
      { refetchInterval: 10_000 },
    ),
  );
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent wide title="Deliveries" description={endpoint.url}>
        <QueryTable
          query={deliveries}
          label="Deliveries"
          loadingLabel="Loading deliveries"
          columns={["Event", "Status", "Attempts", "Created"]}
          empty={
            <EmptyState
              title="No deliveries yet"
              description="Events this endpoint subscribes to appear here, as does a test event."
              icon={<InboxIcon className="size-6" />}
            />
          }
          row={(delivery) => (
            <TR key={delivery.id} data-delivery-id={delivery.id}>
              <TD>
                <div className="flex flex-col">
                  <code className="text-xs">{delivery.eventType}</code>
                  <span className="text-xs text-text-muted">{delivery.eventId}</span>
                </div>
              </TD>
              <TD>
                <div className="flex flex-col gap-1">
                  <Badge tone={STATUS_TONES[delivery.status] ?? "neutral"}>
                    {STATUS_LABELS[delivery.status] ?? delivery.status}
                  </Badge>
                  {delivery.lastError ? (
                    <span className="text-xs text-text-muted">{delivery.lastError}</span>
                  ) : null}
                  {delivery.status === "PENDING" && delivery.nextAttemptAt ? (
                    <span className="text-xs text-text-muted">
                      next attempt after {formatDateTime(delivery.nextAttemptAt)}
                    </span>
                  ) : null}
                </div>
              </TD>
              <TD>
                <ol className="flex flex-col gap-0.5 text-xs">
                  {delivery.attemptsMade.map((attempt) => (
                    <li key={attempt.attempt}>
                      #{attempt.attempt} · {formatDateTime(attempt.startedAt)} ·{" "}
                      {attempt.statusCode === null
                        ? (attempt.error ?? "no answer")
                        : `HTTP ${attempt.statusCode}`}{" "}
                      · {attempt.durationMs} ms
                    </li>
                  ))}
                  {delivery.attemptsMade.length === 0 ? <li className="text-text-muted">none yet</li> : null}
                </ol>
              </TD>
              <TD className="whitespace-nowrap text-text-muted">{formatDateTime(delivery.createdAt)}</TD>
            </TR>
          )}
          pages={pages}
        />
      </DialogContent>
    </Dialog>
  );
}
