export { chatLogExpiry } from "./chat-log-expiry.ts";
export { type PurgeOptions, purgeExpiredChatLogs } from "./purge-expired-chat-logs.ts";
