// The pool's thread entry when the gateway runs from its TypeScript sources (tests, `tsx`):
// Node 20 cannot load .ts in a worker thread, and `--import tsx` in a worker's execArgv is
// not applied to the thread's module loader, so the thread registers tsx itself first.
import { register } from "tsx/esm/api";

register();
const tasks = await import("./text-work-worker.ts");

export const { countTokenUsage, maskChatMessages, resealChatTurn, sealChatTurn } = tasks;
