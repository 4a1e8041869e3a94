import type { MasterKeyHealth } from "@dsc/core";
import type { MetricSample } from "../limits/metering.ts";

/** The master keys' health as Prometheus series: a gauge to alert on, a counter of failed seals. */
export function masterKeySamples(health: MasterKeyHealth | undefined): MetricSample[] {
  if (!health) return [];
  return [
    {
      name: "dsc_master_key_failing_versions",
      help: "Master key versions that cannot open what they wrapped (ENCRYPTION_KEY replaced or a version missing)",
      type: "gauge",
      value: health.failures().length,
    },
    {
      name: "dsc_chat_log_seal_failures_total",
      help: "Conversation logs that could not be sealed because a master key failed",
      type: "counter",
      value: health.sealFailures(),
    },
  ];
}
