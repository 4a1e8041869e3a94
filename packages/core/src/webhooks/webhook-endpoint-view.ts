import type { Database, WebhookEndpoint } from "@dsc/db";
import { DomainError } from "../errors/domain-error.ts";

/** An endpoint as lists and forms show it: never its secret. */
export interface WebhookEndpointView {
  id: string;
  /** null: a platform endpoint, which receives every organization's events it subscribes to */
  organizationId: string | null;
  url: string;
  description: string;
  eventTypes: string[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
  disabledAt: Date | null;
  /** why the platform disabled it (failed deliveries in a row); null when a person did, or enabled */
  disabledReason: string | null;
  /** a rotation's previous secret still signs deliveries until then */
  previousSecretExpiresAt: Date | null;
}

export function viewOfWebhookEndpoint(row: WebhookEndpoint): WebhookEndpointView {
  return {
    id: row.id,
    organizationId: row.organizationId,
    url: row.url,
    description: row.description,
    eventTypes: row.eventTypes,
    enabled: row.enabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    disabledAt: row.disabledAt,
    disabledReason: row.disabledReason,
    previousSecretExpiresAt: row.previousSecretExpiresAt,
  };
}

/**
 * Who may act on which endpoints: `organizationId` is the one organization whose endpoints the
 * caller may touch (a developer's), or null for the platform's admins, who may touch any.
 */
export interface WebhookViewer {
  organizationId: string | null;
}

/** The endpoint, when the viewer may see it; not_found otherwise, as if it did not exist. */
export async function findVisibleWebhookEndpoint(
  db: Database,
  viewer: WebhookViewer,
  endpointId: string,
): Promise<WebhookEndpoint> {
  const row = await db.webhookEndpoint.findUnique({ where: { id: endpointId } });
  if (!row || (viewer.organizationId !== null && row.organizationId !== viewer.organizationId)) {
    throw new DomainError("not_found", `The webhook endpoint ${endpointId} does not exist.`, "endpointId");
  }
  return row;
}
