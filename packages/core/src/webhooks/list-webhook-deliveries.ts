import type { Database, WebhookDeliveryStatus } from "@dsc/db";
import { type CursorPage, pageQuery, pageSize, toCursorPage } from "../paging/cursor-page.ts";
import { findVisibleWebhookEndpoint, type WebhookViewer } from "./webhook-endpoint-view.ts";

/** Attempts shown with each delivery: the newest, as pg-boss makes at most 8. */
const ATTEMPTS_SHOWN = 10;

export interface WebhookDeliveryView {
  id: string;
  eventId: string;
  eventType: string;
  status: WebhookDeliveryStatus;
  attempts: number;
  nextAttemptAt: Date | null;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: Date;
  completedAt: Date | null;
  /** the body that was signed and sent: ids, figures and times only */
  payload: unknown;
  attemptsMade: {
    attempt: number;
    startedAt: Date;
    durationMs: number;
    statusCode: number | null;
    error: string | null;
  }[];
}

/** One endpoint's deliveries, newest first, each with its attempts. */
export async function listWebhookDeliveries(
  deps: { db: Database },
  input: {
    endpointId: string;
    viewer: WebhookViewer;
    status?: WebhookDeliveryStatus | undefined;
    limit?: number | undefined;
    after?: string | undefined;
  },
): Promise<CursorPage<WebhookDeliveryView>> {
  const endpoint = await findVisibleWebhookEndpoint(deps.db, input.viewer, input.endpointId);
  const limit = pageSize(input.limit);
  const rows = await deps.db.webhookDelivery.findMany({
    where: { endpointId: endpoint.id, ...(input.status ? { status: input.status } : {}) },
    include: { attemptsMade: { orderBy: { attempt: "desc" }, take: ATTEMPTS_SHOWN } },
    ...pageQuery(limit, input.after),
  });
  return toCursorPage(rows, limit, (row) => ({
    id: row.id,
    eventId: row.eventId,
    eventType: row.eventType,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.nextAttemptAt,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    createdAt: row.createdAt,
    completedAt: row.completedAt,
    payload: row.payload,
    attemptsMade: row.attemptsMade.map((attempt) => ({
      attempt: attempt.attempt,
      startedAt: attempt.startedAt,
      durationMs: attempt.durationMs,
      statusCode: attempt.statusCode,
      error: attempt.error,
    })),
  }));
}
