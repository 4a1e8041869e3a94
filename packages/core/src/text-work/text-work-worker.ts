// The entry of a text-work pool thread: piscina calls these exports by name. The gateway's
// bundle builds it as dist/text-work-worker.js beside server.js (apps/gateway/tsup.config.ts).
import { getPriority, setPriority } from "node:os";

// On Linux a thread is scheduled on its own, and setPriority(0, …) sets the calling thread's
// niceness (10 above the process's): where the pool and the event loop want the same core, the event loop (the other
// tenants' requests) goes first and the large text waits. Elsewhere it may not apply; no harm.
try {
  setPriority(0, Math.min(19, getPriority(0) + 10));
} catch {
  // not permitted or not supported: the thread runs at the process's priority
}

export { countTokenUsage, maskChatMessages, resealChatTurn, sealChatTurn } from "./text-tasks.ts";
