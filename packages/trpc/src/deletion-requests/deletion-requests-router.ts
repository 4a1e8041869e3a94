import { router } from "../procedure.ts";
import { countDeletionDeadlinesProcedure } from "./count-deletion-deadlines.ts";
import { getDeletionRequestProcedure } from "./get-deletion-request.ts";
import { listDeletionRequestsProcedure } from "./list-deletion-requests.ts";
import { overrideDeletionHoldProcedure } from "./override-deletion-hold.ts";
import { processDeletionRequestNowProcedure } from "./process-deletion-request-now.ts";
import { recordDeletionRegisterExportProcedure } from "./record-deletion-register-export.ts";
import { countEndUserRecordsProcedure, requestEndUserErasureProcedure } from "./request-end-user-erasure.ts";
import { retryDeletionRequestProcedure } from "./retry-deletion-request.ts";

export const deletionRequestsRouter = router({
  list: listDeletionRequestsProcedure,
  get: getDeletionRequestProcedure,
  deadlines: countDeletionDeadlinesProcedure,
  create: requestEndUserErasureProcedure,
  matchingRecords: countEndUserRecordsProcedure,
  overrideHold: overrideDeletionHoldProcedure,
  retry: retryDeletionRequestProcedure,
  processNow: processDeletionRequestNowProcedure,
  recordExport: recordDeletionRegisterExportProcedure,
});
