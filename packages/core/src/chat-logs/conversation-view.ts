import { ALL_PII_KINDS, maskPii } from "../masking/pii-masking.ts";

/**
 * A decrypted log as a person reads it: each message's role, texts and tool calls, then the
 * answer. Built on the dashboard's server, on its event loop, so the work is bounded: each text
 * shows at most DISPLAY_CHARACTERS_PER_TEXT characters and a log at most
 * DISPLAY_CHARACTERS_PER_LOG in all, and only what is shown is masked (masking is linear, so
 * a log costs at most the budget's time, however large it is).
 */

export const DISPLAY_CHARACTERS_PER_TEXT = 20_000;
export const DISPLAY_CHARACTERS_PER_LOG = 200_000;
/**
 * Masked beyond the cut and never shown: a piece of personal data that the cut splits is not
 * found by its pattern, so the characters just before the cut are shown only when the text
 * around them was masked whole. Longer than any e-mail address, card number or IBAN.
 */
const MASKING_MARGIN = 1_024;
/** roles, ids and part types are short words; a longer one is cut */
const WORD_CHARACTERS = 200;

export interface DisplayText {
  text: string;
  /** the stored text's length, in characters */
  length: number;
  /** only the first part of it is shown (or none, once the log's budget is spent) */
  isTruncated: boolean;
}

export type DisplayPart =
  | { type: "text"; text: DisplayText }
  /** an image, audio or file part: its content is not shown */
  | { type: "attachment"; kind: string };

export interface DisplayToolCall {
  id: string | null;
  name: DisplayText;
  arguments: DisplayText;
}

export interface DisplayMessage {
  role: string;
  name: DisplayText | null;
  parts: DisplayPart[];
  refusal: DisplayText | null;
  toolCalls: DisplayToolCall[];
  /** what a tool message answers */
  toolCallId: string | null;
}

export type DisplayResponse =
  | { type: "choices"; choices: { index: number; finishReason: string | null; message: DisplayMessage }[] }
  | { type: "stream"; text: DisplayText }
  | { type: "none" };

export interface Conversation {
  messages: DisplayMessage[];
  response: DisplayResponse;
  /** every kind of personal data was masked in what is shown */
  isMasked: boolean;
  /** some text is not shown whole */
  isTruncated: boolean;
}

type Loose = Record<string, unknown>;

/** The messages and answer of a decrypted log, masked (every PII kind) unless `mask` is false. */
export function conversationOf(
  messages: unknown,
  response: unknown,
  options: { mask: boolean },
): Conversation {
  const shape = createTextShaper(options.mask);
  const displayMessages = Array.isArray(messages)
    ? messages.filter(isObject).map((message) => displayMessage(message, shape))
    : [];
  const displayResponse = displayResponseOf(response, shape);
  return {
    messages: displayMessages,
    response: displayResponse,
    isMasked: options.mask,
    isTruncated: shape.isTruncated(),
  };
}

interface TextShaper {
  (text: string): DisplayText;
  isTruncated(): boolean;
}

/** Cuts each text to what is left of the budget, and masks what is shown. */
function createTextShaper(mask: boolean): TextShaper {
  let remaining = DISPLAY_CHARACTERS_PER_LOG;
  let truncated = false;
  const shape = (text: string): DisplayText => {
    const allowed = Math.min(DISPLAY_CHARACTERS_PER_TEXT, remaining);
    if (text.length <= allowed) {
      remaining -= text.length;
      return { text: mask ? maskPii(text, ALL_PII_KINDS) : text, length: text.length, isTruncated: false };
    }
    truncated = true;
    remaining -= allowed;
    return { text: cut(text, allowed, mask), length: text.length, isTruncated: true };
  };
  return Object.assign(shape, { isTruncated: () => truncated });
}

function cut(text: string, allowed: number, mask: boolean): string {
  if (allowed === 0) return "";
  if (!mask) return text.slice(0, allowed);
  if (text.length <= allowed + MASKING_MARGIN) return maskPii(text, ALL_PII_KINDS).slice(0, allowed);
  // the last MASKING_MARGIN characters may end in a piece of personal data cut in two
  const masked = maskPii(text.slice(0, allowed + MASKING_MARGIN), ALL_PII_KINDS);
  return masked.slice(0, Math.max(0, Math.min(allowed, masked.length - MASKING_MARGIN)));
}

function displayMessage(message: Loose, shape: TextShaper): DisplayMessage {
  const toolCalls: DisplayToolCall[] = [];
  if (Array.isArray(message.tool_calls)) {
    for (const call of message.tool_calls) {
      if (isObject(call) && isObject(call.function)) {
        toolCalls.push(displayToolCall(typeof call.id === "string" ? call.id : null, call.function, shape));
      }
    }
  }
  // the deprecated single call, which some upstreams still answer with
  if (isObject(message.function_call)) toolCalls.push(displayToolCall(null, message.function_call, shape));
  return {
    role: typeof message.role === "string" ? word(message.role) : "unknown",
    name: typeof message.name === "string" ? shape(message.name) : null,
    parts: displayParts(message.content, shape),
    refusal: typeof message.refusal === "string" ? shape(message.refusal) : null,
    toolCalls,
    toolCallId: typeof message.tool_call_id === "string" ? word(message.tool_call_id) : null,
  };
}

function displayParts(content: unknown, shape: TextShaper): DisplayPart[] {
  if (typeof content === "string") return [{ type: "text", text: shape(content) }];
  if (!Array.isArray(content)) return [];
  return content.filter(isObject).map((part): DisplayPart => {
    if (part.type === "text" && typeof part.text === "string")
      return { type: "text", text: shape(part.text) };
    if (part.type === "refusal" && typeof part.refusal === "string") {
      return { type: "text", text: shape(part.refusal) };
    }
    return { type: "attachment", kind: typeof part.type === "string" ? word(part.type) : "unknown" };
  });
}

function displayToolCall(id: string | null, call: Loose, shape: TextShaper): DisplayToolCall {
  return {
    id: id === null ? null : word(id),
    name: shape(typeof call.name === "string" ? call.name : ""),
    arguments: shape(typeof call.arguments === "string" ? call.arguments : ""),
  };
}

function displayResponseOf(response: unknown, shape: TextShaper): DisplayResponse {
  if (!isObject(response)) return { type: "none" };
  if (typeof response.streamedText === "string")
    return { type: "stream", text: shape(response.streamedText) };
  if (!Array.isArray(response.choices)) return { type: "none" };
  return {
    type: "choices",
    choices: response.choices.filter(isObject).map((choice, position) => ({
      index: typeof choice.index === "number" ? choice.index : position,
      finishReason: typeof choice.finish_reason === "string" ? word(choice.finish_reason) : null,
      message: displayMessage(isObject(choice.message) ? choice.message : {}, shape),
    })),
  };
}

const word = (text: string) => text.slice(0, WORD_CHARACTERS);

function isObject(value: unknown): value is Loose {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
