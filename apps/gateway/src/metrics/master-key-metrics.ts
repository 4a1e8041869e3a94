import type { MasterKeyHealth } from "@dsc/core";
import type { Registry } from "prom-client";
import { counterReadAtScrape, gaugeReadAtScrape } from "./scrape-time-series.ts";

/** The master keys' health: a gauge to alert on, a counter of failed seals. */
export function registerMasterKeyMetrics(registry: Registry, health: MasterKeyHealth | undefined) {
  if (!health) return;
  gaugeReadAtScrape(
    registry,
    "dsc_master_key_failing_versions",
    "Master key versions that cannot open what they wrapped (ENCRYPTION_KEY replaced or a version missing)",
    () => health.failures().length,
    // every worker of a cluster checks the same keys
    "max",
  );
  counterReadAtScrape(
    registry,
    "dsc_chat_log_seal_failures_total",
    "Conversation logs that could not be sealed because a master key failed",
    () => health.sealFailures(),
  );
}
