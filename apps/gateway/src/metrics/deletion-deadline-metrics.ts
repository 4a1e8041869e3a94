import type { DeletionDeadlineCounts } from "@dsc/core";
import type { MetricSample } from "../limits/metering.ts";

/**
 * The deletion-deadline alert as gauges, across every organization: counts only, nothing that
 * names an organization or a subject. The 72-hour promise is a legal one, so these are what an
 * alert rule watches (`dsc_deletion_requests_overdue > 0`).
 */
export function deletionDeadlineSamples(counts: DeletionDeadlineCounts): MetricSample[] {
  return [
    {
      name: "dsc_deletion_requests_open",
      help: "Deletion requests not yet completed (pending, processing or failed)",
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
  ];
}
