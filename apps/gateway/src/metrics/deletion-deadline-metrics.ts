import type { DeletionDeadlineCounts } from "@dsc/core";
import type { MetricSample } from "../limits/metering.ts";

/**
 * The deletion-deadline alert as gauges, across every organization: counts only, nothing that
 * names an organization or a subject. The 72-hour promise is a legal one, so these are what an
 * alert rule watches (`dsc_deletion_requests_overdue > 0`), with the requests that wait for a
 * person (`dsc_deletion_requests_needs_attention > 0`) or for a legal hold to end.
 */
export function deletionDeadlineSamples(counts: DeletionDeadlineCounts): MetricSample[] {
  return [
    {
      name: "dsc_deletion_requests_open",
      help: "Deletion requests not yet completed (pending, processing, failed or needing attention)",
      type: "gauge",
      value: counts.open,
    },
    {
      name: "dsc_deletion_requests_near_deadline",
      help: "Deletion requests not yet completed and due within 12 hours",
      type: "gauge",
      value: counts.nearDeadline,
    },
    {
      name: "dsc_deletion_requests_overdue",
      help: "Deletion requests not yet completed and past their 72-hour deadline",
      type: "gauge",
      value: counts.overdue,
    },
    {
      name: "dsc_deletion_requests_needs_attention",
      help: "Deletion requests out of attempts, waiting for a compliance officer to retry them",
      type: "gauge",
      value: counts.needsAttention,
    },
    {
      name: "dsc_deletion_requests_on_hold",
      help: "Deletion requests held because their organization is under a legal hold",
      type: "gauge",
      value: counts.onHold,
    },
  ];
}
