import { router } from "../procedure.ts";
import { getConversationLogProcedure } from "./get-conversation-log.ts";
import { listConversationLogsProcedure } from "./list-conversation-logs.ts";
import { openConversationLogProcedure } from "./open-conversation-log.ts";
import { unmaskConversationLogProcedure } from "./unmask-conversation-log.ts";

export const conversationLogsRouter = router({
  list: listConversationLogsProcedure,
  get: getConversationLogProcedure,
  open: openConversationLogProcedure,
  unmask: unmaskConversationLogProcedure,
});
