import type { DeletionDeadlineCounts, DeletionDeadlineGauges } from "@dsc/core";
import type { Registry } from "prom-client";
import { gaugeReadAtScrapeOrAbsent } from "./scrape-time-series.ts";

/**
 * The deletion-deadline alert as gauges, across every organization: counts only, nothing that
 * names an organization or a subject. The 72-hour promise is a legal one, so these are what an
 * alert rule watches (`dsc_deletion_requests_overdue > 0`), with the requests that wait for a
 * person (`dsc_deletion_requests_needs_attention > 0`) or for a legal hold to end. While the
 * database cannot count, the series have no sample (and the failure is logged once per count).
 */
export function registerDeletionDeadlineMetrics(
  registry: Registry,
  deadlines: DeletionDeadlineGauges,
  onCountFailed: (error: unknown) => void,
) {
  let lastFailure: Promise<DeletionDeadlineCounts> | null = null;
  /** the counts, or null while the database cannot say */
  const counts = async (): Promise<DeletionDeadlineCounts | null> => {
    const read = deadlines.read();
    try {
      return await read;
    } catch (error) {
      // one line per failed count, not per series or scrape: a failure is kept as long as a count is
      if (read !== lastFailure) {
        lastFailure = read;
        onCountFailed(error);
      }
      return null;
    }
  };
  // every worker of a cluster counts the same rows: the largest count, not their sum
  const gauge = (name: string, help: string, pick: (counts: DeletionDeadlineCounts) => number) =>
    gaugeReadAtScrapeOrAbsent(
      registry,
      name,
      help,
      async () => {
        const read = await counts();
        return read === null ? null : pick(read);
      },
      "max",
    );
  gauge(
    "dsc_deletion_requests_open",
    "Deletion requests not yet completed (pending, processing, failed or needing attention)",
    (c) => c.open,
  );
  gauge(
    "dsc_deletion_requests_near_deadline",
    "Deletion requests not yet completed and due within 12 hours",
    (c) => c.nearDeadline,
  );
  gauge(
    "dsc_deletion_requests_overdue",
    "Deletion requests not yet completed and past their 72-hour deadline",
    (c) => c.overdue,
  );
  gauge(
    "dsc_deletion_requests_needs_attention",
    "Deletion requests out of attempts, waiting for a compliance officer to retry them",
    (c) => c.needsAttention,
  );
  gauge(
    "dsc_deletion_requests_on_hold",
    "Deletion requests held because their organization is under a legal hold",
    (c) => c.onHold,
  );
}
