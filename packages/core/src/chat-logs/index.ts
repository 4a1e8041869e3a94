export { type ChatLogWriter, type ChatTurn, chatLogContext, createChatLogWriter } from "./chat-log-writer.ts";
export { type DataPolicy, dataPolicyOf, maskMessages, maskResponse } from "./data-policy.ts";
export {
  type ChatLogSubject,
  countReadableChatLogs,
  type DecryptedChatLog,
  decryptedChatLogPages,
  readChatLogs,
  recordChatLogRead,
} from "./read-chat-logs.ts";
