export { type ChatLogBacklogStats, createChatLogBacklog } from "./chat-log-backlog.ts";
export type { ChatLogSummary } from "./chat-log-summaries.ts";
export { type ChatLogWriter, type ChatTurn, chatLogContext, createChatLogWriter } from "./chat-log-writer.ts";
export {
  type Conversation,
  conversationOf,
  DISPLAY_CHARACTERS_PER_LOG,
  DISPLAY_CHARACTERS_PER_TEXT,
  type DisplayMessage,
  type DisplayPart,
  type DisplayResponse,
  type DisplayText,
  type DisplayToolCall,
} from "./conversation-view.ts";
export { type DataPolicy, dataPolicyOf } from "./data-policy.ts";
export { type ChatLogPage, type ListChatLogsInput, listChatLogs } from "./list-chat-logs.ts";
export {
  CHAT_LOG_REASON_MAX_LENGTH,
  CHAT_LOG_REASON_MIN_LENGTH,
  type ChatLogDetails,
  getChatLogSummary,
  type OpenedChatLog,
  openChatLog,
} from "./open-chat-log.ts";
export {
  CHAT_LOG_PAGE_SIZE,
  type ChatLogPageStart,
  type ChatLogSubject,
  chatLogPageQuery,
  countReadableChatLogs,
  type DecryptedChatLog,
  decryptChatLog,
  decryptedChatLogPages,
  readChatLogs,
  recordChatLogRead,
} from "./read-chat-logs.ts";
