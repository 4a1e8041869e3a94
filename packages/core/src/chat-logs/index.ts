export { type ChatLogWriter, type ChatTurn, chatLogContext, createChatLogWriter } from "./chat-log-writer.ts";
export { type DataPolicy, dataPolicyOf, maskMessages, maskResponse } from "./data-policy.ts";
export { type DecryptedChatLog, readChatLogs } from "./read-chat-logs.ts";
