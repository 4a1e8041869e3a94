import { type Database, sqlPoolOf } from "@dsc/db";
import { CREDENTIAL_EXPIRY_NOTICE_MS } from "@dsc/vocabulary";
import type { Clock } from "../time/clock.ts";
import { enqueueWebhookEvent } from "./enqueue-webhook-event.ts";

/** Once per credential and expiry: a credential whose expiry is moved is announced again. */
export const credentialExpiringKey = (credentialId: string, expiresAt: Date) =>
  `credential.expiring:${credentialId}:${expiresAt.toISOString()}`;

const MAX_EVENTS_PER_RUN = 5_000;

/**
 * Sends `credential.expiring` for every API key and OAuth client, neither revoked nor expired,
 * that expires within 7 days, once per credential (and expiry).
 */
export async function notifyExpiringCredentials(deps: {
  db: Database;
  clock: Clock;
}): Promise<{ events: number }> {
  const now = deps.clock.now();
  const horizon = new Date(now.getTime() + CREDENTIAL_EXPIRY_NOTICE_MS);
  const { rows } = await sqlPoolOf(deps.db).query<{
    type: "api_key" | "oauth_client";
    id: string;
    organization_id: string;
    expires_at: string;
  }>(
    // the expiry as ISO text (the column holds UTC without a zone), as the once-key writes it
    `SELECT type, id, organization_id, to_char(expires_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS expires_at
       FROM (
         SELECT 'api_key' AS type, id, organization_id, expires_at FROM api_key
          WHERE revoked_at IS NULL AND expires_at > $1::timestamp(3) AND expires_at <= $2::timestamp(3)
         UNION ALL
         SELECT 'oauth_client', id, organization_id, expires_at FROM oauth_client
          WHERE revoked_at IS NULL AND expires_at > $1::timestamp(3) AND expires_at <= $2::timestamp(3)
       ) AS expiring
      WHERE NOT EXISTS (
        SELECT 1 FROM webhook_event_once e
         WHERE e.key = 'credential.expiring:' || expiring.id || ':'
                       || to_char(expiring.expires_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
      ORDER BY expiring.expires_at, id
      LIMIT $3`,
    [now.toISOString(), horizon.toISOString(), MAX_EVENTS_PER_RUN],
  );
  let events = 0;
  for (const row of rows) {
    const expiresAt = new Date(row.expires_at);
    const sent = await enqueueWebhookEvent(deps, {
      type: "credential.expiring",
      organizationId: row.organization_id,
      onceKey: credentialExpiringKey(row.id, expiresAt),
      data: {
        credential_type: row.type,
        credential_id: row.id,
        organization_id: row.organization_id,
        expires_at: expiresAt.toISOString(),
      },
    });
    if (sent.eventId) events += 1;
  }
  return { events };
}
