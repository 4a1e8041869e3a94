export { exportSubjectData, type SubjectExport } from "./export-subject-data.ts";
export { ALL_PII_KINDS, maskPii, type PiiKind } from "./pii-masking.ts";
export {
  type ErasureReport,
  findDeletionRequestsAtRisk,
  processDeletionRequests,
} from "./process-deletion-requests.ts";
export { ERASURE_DEADLINE_MS, getDeletionRequest, requestDeletion } from "./request-deletion.ts";
export {
  accountEraser,
  cacheEraser,
  chatLogEraser,
  type ErasureSubject,
  fileEraser,
  type SubjectEraser,
  usageIdentityEraser,
} from "./subject-eraser.ts";
