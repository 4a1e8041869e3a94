// The entry of a text-work pool thread: piscina calls these exports by name. The gateway's
// bundle builds it as dist/text-work-worker.js beside server.js (apps/gateway/tsup.config.ts).
export { countTokenUsage, maskChatMessages, sealChatTurn } from "./text-tasks.ts";
