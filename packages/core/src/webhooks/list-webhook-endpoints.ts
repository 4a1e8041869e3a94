import type { Database } from "@dsc/db";
import { type CursorPage, pageQuery, pageSize, toCursorPage } from "../paging/cursor-page.ts";
import { viewOfWebhookEndpoint, type WebhookEndpointView } from "./webhook-endpoint-view.ts";

/**
 * One owner's endpoints, newest first: an organization's, or the platform's (null). The
 * caller decides whose the viewer may list.
 */
export async function listWebhookEndpoints(
  deps: { db: Database },
  input: { organizationId: string | null; limit?: number | undefined; after?: string | undefined },
): Promise<CursorPage<WebhookEndpointView>> {
  const limit = pageSize(input.limit);
  const rows = await deps.db.webhookEndpoint.findMany({
    where: { organizationId: input.organizationId },
    ...pageQuery(limit, input.after),
  });
  return toCursorPage(rows, limit, viewOfWebhookEndpoint);
}
