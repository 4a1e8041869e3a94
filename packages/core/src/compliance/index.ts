export {
  countEndUserRecords,
  END_USER_RECORD_COUNT_CAP,
  type EndUserRecordCounts,
  type RecordCount,
} from "./count-end-user-records.ts";
export { MAX_DELETION_ATTEMPTS, retryDelayMs } from "./deletion-attempts.ts";
export {
  countDeletionDeadlines,
  createDeletionDeadlineGauges,
  type DeadlineRisk,
  type DeletionDeadlineCounts,
  type DeletionDeadlineGauges,
  deadlineRiskOf,
  NEAR_DEADLINE_MS,
  OPEN_DELETION_STATUSES,
} from "./deletion-deadlines.ts";
export type { DeletionRequestView } from "./deletion-request-view.ts";
export {
  type ErasureProgress,
  type ErasureStep,
  type ErasureWait,
  erasureWaitOf,
} from "./erasure-progress.ts";
export { exportSubjectData, type SubjectExport } from "./export-subject-data.ts";
export { type DeletionRequestReport, getDeletionRequestReport } from "./get-deletion-request-report.ts";
export { overrideDeletionHold } from "./override-deletion-hold.ts";
export {
  canProcessDeletionRequestNow,
  DELETION_RUN_INTERVAL_MS,
  processDeletionRequestNow,
} from "./process-deletion-request-now.ts";
export {
  type DeletionRunResult,
  type ErasureReport,
  findDeletionRequestsAtRisk,
  processDeletionRequests,
} from "./process-deletion-requests.ts";
export { recordDeletionRegisterExport } from "./record-deletion-register-export.ts";
export { type AccountErasureRequests, requestAccountErasure } from "./request-account-erasure.ts";
export { ERASURE_DEADLINE_MS, getDeletionRequest, requestDeletion } from "./request-deletion.ts";
export { requestEndUserErasure } from "./request-end-user-erasure.ts";
export { retryDeletionRequest } from "./retry-deletion-request.ts";
export {
  DELETION_REQUEST_FILTERS,
  type DeletionRequestFilter,
  type DeletionRequestPage,
  type SearchDeletionRequestsInput,
  searchDeletionRequests,
} from "./search-deletion-requests.ts";
export {
  accountEraser,
  allSubjectErasers,
  CACHE_EXPIRY_STEP,
  cacheEraser,
  chatLogEraser,
  ERASURE_BATCH_FILES,
  ERASURE_BATCH_ROWS,
  type ErasureLinger,
  type ErasureSubject,
  type ErasureTurn,
  ErasureTurnSpent,
  fileEraser,
  type SubjectEraser,
  usageDeadLetterEraser,
  usageIdentityEraser,
  usageRollupEraser,
} from "./subject-eraser.ts";
