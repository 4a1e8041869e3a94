import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { forEachConcurrently } from "./bounded-concurrency.ts";
import type { FileDeps } from "./file-deps.ts";
import type { StoredObject } from "./file-storage.ts";

export interface SweepFileOrphansOptions {
  /**
   * Objects and records younger than this are left alone (default 6 h): an upload's bytes are
   * complete a moment before its record exists, and S3 dates a multipart object from the start
   * of its upload, so the grace must outlast the longest upload.
   */
  graceMs?: number;
  /** objects or records looked at per query (default 500) */
  batchSize?: number;
  /** storage calls at once (default 8) */
  concurrency?: number;
  /**
   * The largest share of orphans in one batch (of at least 10) that the sweep deletes
   * (default 0.5). More is likelier a worker pointed at the wrong storage or database (say,
   * S3 settings on the gateways only) than that many crashes, so the sweep stops instead.
   * Set it to 1 to clean up after a known mass failure.
   */
  maxOrphanShare?: number;
}

/** a type, not an interface, so that it is a plain record (job results are logged as one) */
export type SweepFileOrphansResult = {
  /** unfinished uploads removed (disk: crashed writes) */
  abandonedUploads: number;
  /** stored objects without a record, removed */
  orphanObjects: number;
  /** records whose bytes are gone, removed (kept under legal hold) */
  orphanRecords: number;
  checkedObjects: number;
  checkedRecords: number;
};

const DEFAULT_GRACE_MS = 6 * 60 * 60 * 1000;
const AUDITED_IDS = 100;
const GUARDED_BATCH = 10;

/** The sweep stopped before deleting what looked like a configuration mistake. */
export class SweepRefusedError extends Error {
  override readonly name = "SweepRefusedError";
}

/**
 * Repairs what crashes and failed deletions leave behind, in both directions: bytes without a
 * record (an upload that died between its bytes and its record, a deletion or purge whose byte
 * removal failed) are deleted, and records without bytes (bytes lost outside our control) are
 * deleted so that listings stop showing files that cannot be downloaded. Idempotent, and safe
 * beside running uploads thanks to the grace period. Memory stays bounded: both sides are read
 * a page at a time.
 */
export async function sweepFileOrphans(
  deps: FileDeps,
  options: SweepFileOrphansOptions = {},
): Promise<SweepFileOrphansResult> {
  const batchSize = options.batchSize ?? 500;
  const concurrency = options.concurrency ?? 8;
  const maxOrphanShare = options.maxOrphanShare ?? 0.5;
  const guard = (orphans: number, checked: number, what: string) => {
    if (maxOrphanShare < 1 && checked >= GUARDED_BATCH && orphans / checked > maxOrphanShare) {
      throw new SweepRefusedError(
        `${orphans} of ${checked} ${what}; nothing more is deleted. Check that this worker uses the ` +
          "gateways' file storage (S3_* settings, DATA_DIR) and database, or pass maxOrphanShare: 1.",
      );
    }
  };
  const cutoff = new Date(deps.clock.now().getTime() - (options.graceMs ?? DEFAULT_GRACE_MS));
  const result: SweepFileOrphansResult = {
    abandonedUploads: await deps.storage.removeAbandonedUploads(cutoff),
    orphanObjects: 0,
    orphanRecords: 0,
    checkedObjects: 0,
    checkedRecords: 0,
  };
  const removedObjects: string[] = [];
  const removedRecords: string[] = [];

  // bytes without a record
  const removeUnrecorded = async (page: StoredObject[]) => {
    const recorded = await deps.db.file.findMany({
      where: { storageKey: { in: page.map((object) => object.key) } },
      select: { storageKey: true },
    });
    const known = new Set(recorded.map((file) => file.storageKey));
    const orphans = page.filter((object) => !known.has(object.key));
    guard(orphans.length, page.length, "stored objects have no file record");
    await forEachConcurrently(orphans, concurrency, async (object) => {
      await deps.storage.delete(object.key);
      result.orphanObjects += 1;
      if (removedObjects.length < AUDITED_IDS) removedObjects.push(object.key);
    });
  };
  let page: StoredObject[] = [];
  for await (const object of deps.storage.list()) {
    result.checkedObjects += 1;
    if (object.modifiedAt >= cutoff) continue;
    page.push(object);
    if (page.length >= batchSize) {
      await removeUnrecorded(page);
      page = [];
    }
  }
  if (page.length > 0) await removeUnrecorded(page);

  // records without bytes
  let lastId: string | null = null;
  for (;;) {
    const records: { id: string; storageKey: string; organization: { legalHold: boolean } }[] =
      await deps.db.file.findMany({
        where: { createdAt: { lt: cutoff }, ...(lastId ? { id: { gt: lastId } } : {}) },
        orderBy: { id: "asc" },
        take: batchSize,
        select: { id: true, storageKey: true, organization: { select: { legalHold: true } } },
      });
    result.checkedRecords += records.length;
    const missing: string[] = [];
    await forEachConcurrently(records, concurrency, async (record) => {
      if (!record.organization.legalHold && !(await deps.storage.head(record.storageKey))) {
        missing.push(record.id);
      }
    });
    guard(missing.length, records.length, "file records have no bytes in storage");
    if (maxOrphanShare < 1 && missing.length > 0 && result.checkedObjects === 0) {
      throw new SweepRefusedError(
        `the file storage holds no objects at all, yet ${missing.length} file records exist; nothing ` +
          "more is deleted. Check this worker's file storage settings, or pass maxOrphanShare: 1.",
      );
    }
    if (missing.length > 0) {
      const { count } = await deps.db.file.deleteMany({
        where: { id: { in: missing }, createdAt: { lt: cutoff } },
      });
      result.orphanRecords += count;
      removedRecords.push(...missing.slice(0, Math.max(0, AUDITED_IDS - removedRecords.length)));
    }
    if (records.length < batchSize) break;
    lastId = records.at(-1)?.id ?? null;
  }

  if (result.orphanObjects + result.orphanRecords + result.abandonedUploads > 0) {
    await recordAuditEvent(deps.db, deps.clock, {
      actor: { type: "SYSTEM", id: "file-sweeper", origin: "worker" },
      action: "file.sweep_orphans",
      target: { type: "file", id: "*" },
      metadata: {
        abandonedUploads: result.abandonedUploads,
        orphanObjects: result.orphanObjects,
        orphanRecords: result.orphanRecords,
        // the first ids of each, enough to investigate a surprise
        objectKeys: removedObjects,
        recordIds: removedRecords,
      },
    });
  }
  return result;
}
