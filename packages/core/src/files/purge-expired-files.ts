import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { forEachConcurrently } from "./bounded-concurrency.ts";
import type { FileDeps } from "./file-deps.ts";

export interface PurgeExpiredFilesOptions {
  /** records per DELETE (default 500): short transactions, and the bytes follow each batch */
  batchSize?: number;
  /** upper bound of batches per run (default 100); the next run continues */
  maxBatches?: number;
  /** storage deletions at once (default 8) */
  concurrency?: number;
}

/** a type, not an interface, so that it is a plain record (job results are logged as one) */
export type PurgeExpiredFilesResult = {
  deleted: number;
  batches: number;
  /** bytes that could not be deleted now; the orphan sweeper removes them later */
  storageFailures: number;
};

/**
 * Deletes files past their expiry, oldest expiry first, in bounded batches: each batch's
 * records first (one statement), then their bytes. A crash between the two leaves bytes without
 * a record, never a record without bytes, and the orphan sweeper removes those bytes.
 * A file expires at the expiry it was written with, or earlier when the organization's file
 * retention, read at each batch, ends before it: a shortened retention reaches the files
 * already uploaded at the next run; a longer one (or a removed one) only the files uploaded
 * after it. Only the organization's own retention applies here, as at upload, where it is also
 * the only bound of an expiry the client asks for (a tier's retention is the default expiry).
 * Files of organizations under legal hold are kept (the API already answers 404 for them);
 * the hold is read at each batch. Idempotent: a second run finds nothing to do.
 */
export async function purgeExpiredFiles(
  deps: FileDeps,
  options: PurgeExpiredFilesOptions = {},
): Promise<PurgeExpiredFilesResult> {
  const batchSize = options.batchSize ?? 500;
  const maxBatches = options.maxBatches ?? 100;
  const concurrency = options.concurrency ?? 8;
  const now = deps.clock.now();
  let deleted = 0;
  let batches = 0;
  let storageFailures = 0;
  while (batches < maxBatches) {
    // Past the written expiry (the expiry index), then past the organization's current file
    // retention ((organization_id, created_at), one probe per organization that sets one).
    const rows = await deps.db.$queryRaw<{ id: string; storage_key: string }[]>`
      DELETE FROM file WHERE id IN (
        SELECT due.id FROM (
          (SELECT f.id, 0 AS pass FROM file f
             JOIN organization org ON org.id = f.organization_id
            WHERE f.expires_at <= ${now} AND NOT org.legal_hold
            ORDER BY f.expires_at
            LIMIT ${batchSize})
          UNION ALL
          (SELECT past.id, 1 AS pass FROM organization org
             CROSS JOIN LATERAL (
               SELECT f.id FROM file f
                WHERE f.organization_id = org.id
                  AND f.created_at <= ${now}::timestamp(3) - make_interval(days => GREATEST(0, org.file_retention_days))
                  AND (f.expires_at IS NULL OR f.expires_at > ${now})
                ORDER BY f.created_at
                LIMIT ${batchSize}) past
            WHERE org.file_retention_days IS NOT NULL AND NOT org.legal_hold
            LIMIT ${batchSize})
        ) due
        ORDER BY due.pass
        LIMIT ${batchSize})
      RETURNING id, storage_key`;
    batches += 1;
    deleted += rows.length;
    await forEachConcurrently(rows, concurrency, async (row) => {
      try {
        await deps.storage.delete(row.storage_key);
      } catch {
        storageFailures += 1;
      }
    });
    if (rows.length < batchSize) break;
  }
  if (deleted > 0) {
    await recordAuditEvent(deps.db, deps.clock, {
      actor: { type: "SYSTEM", id: "retention", origin: "worker" },
      action: "file.purge_expired",
      target: { type: "file", id: "*" },
      metadata: { deleted, batches, storageFailures, expiredBefore: now.toISOString() },
    });
  }
  return { deleted, batches, storageFailures };
}
