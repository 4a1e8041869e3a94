export { chatLogExpiry } from "./chat-log-expiry.ts";
export { clearExpiredUsageEndUsers } from "./clear-expired-usage-end-users.ts";
export { type PurgeOptions, purgeExpiredChatLogs } from "./purge-expired-chat-logs.ts";
