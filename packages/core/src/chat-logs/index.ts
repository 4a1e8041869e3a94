export { type ChatLogBacklogStats, createChatLogBacklog } from "./chat-log-backlog.ts";
export { type ChatLogWriter, type ChatTurn, chatLogContext, createChatLogWriter } from "./chat-log-writer.ts";
export { type DataPolicy, dataPolicyOf } from "./data-policy.ts";
export {
  CHAT_LOG_PAGE_SIZE,
  type ChatLogPageStart,
  type ChatLogSubject,
  chatLogPageQuery,
  countReadableChatLogs,
  type DecryptedChatLog,
  decryptedChatLogPages,
  readChatLogs,
  recordChatLogRead,
} from "./read-chat-logs.ts";
