import { router } from "../procedure.ts";
import { countDeletionDeadlinesProcedure } from "./count-deletion-deadlines.ts";
import { getDeletionRequestProcedure } from "./get-deletion-request.ts";
import { listDeletionRequestsProcedure } from "./list-deletion-requests.ts";
import { requestEndUserErasureProcedure } from "./request-end-user-erasure.ts";

export const deletionRequestsRouter = router({
  list: listDeletionRequestsProcedure,
  get: getDeletionRequestProcedure,
  deadlines: countDeletionDeadlinesProcedure,
  create: requestEndUserErasureProcedure,
});
