import { openConversationLogAs } from "./open-conversation-log.ts";

/** The log as stored, without the display's masking: audited again, as chat_log.unmasked, with its own reason. */
export const unmaskConversationLogProcedure = openConversationLogAs({ unmasked: true });
