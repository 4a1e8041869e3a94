export type { ChatTurnToSeal, SealedChatTurn, TokenCountInput } from "./text-tasks.ts";
export {
  createInlineTextWork,
  createTextWorkPool,
  INLINE_TEXT_CHARACTERS,
  type SealedChatTurnBytes,
  type TextWork,
  TextWorkClosedError,
  type TextWorkPoolOptions,
} from "./text-work.ts";
