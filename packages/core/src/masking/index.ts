export { maskMessages, maskResponse } from "./mask-chat-texts.ts";
export { ALL_PII_KINDS, maskPii, type PiiKind } from "./pii-masking.ts";
