import { checkDeletionDeadlinesJob } from "./check-deletion-deadlines.ts";
import { clearExpiredUsageEndUsersJob } from "./clear-expired-usage-end-users.ts";
import type { JobDefinition } from "./job-definition.ts";
import { processDeletionRequestsJob } from "./process-deletion-requests.ts";
import { pruneRollupsJob } from "./prune-rollups.ts";
import { purgeExpiredChatLogsJob } from "./purge-expired-chat-logs.ts";
import { purgeExpiredFilesJob } from "./purge-expired-files.ts";
import { rewrapDataKeysJob } from "./rewrap-data-keys.ts";
import { sweepFileOrphansJob } from "./sweep-file-orphans.ts";
import {
  checkExpiringCredentialsJob,
  checkQuotaThresholdsJob,
  deliverWebhookJob,
  dispatchWebhooksJob,
  pruneWebhookRecordsJob,
  webhookDeadLetterJob,
} from "./webhook-jobs.ts";

/** Every job the worker runs. Add a job: one file in this folder, one line here. */
// biome-ignore lint/suspicious/noExplicitAny: definitions differ in payload type
export const JOBS: JobDefinition<any>[] = [
  purgeExpiredChatLogsJob,
  clearExpiredUsageEndUsersJob,
  purgeExpiredFilesJob,
  sweepFileOrphansJob,
  processDeletionRequestsJob,
  checkDeletionDeadlinesJob,
  rewrapDataKeysJob,
  pruneRollupsJob,
  // the dead letter queue before the queue that names it
  webhookDeadLetterJob,
  deliverWebhookJob,
  dispatchWebhooksJob,
  checkQuotaThresholdsJob,
  checkExpiringCredentialsJob,
  pruneWebhookRecordsJob,
];
