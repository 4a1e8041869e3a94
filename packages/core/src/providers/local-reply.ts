import { createHash } from "node:crypto";
import type { ChatCompletionRequest, FinishReason, ToolCall } from "@dsc/api-client";
import { decode, encode } from "gpt-tokenizer/encoding/o200k_base";
import { countChatTokens, countTokens, messageText, ORDINARY_TEXT } from "../tokens/count-tokens.ts";
import { toolArgumentsFor } from "./tool-arguments.ts";

/** What the built-in model answers to one request, before it is put on the wire. */
export interface LocalReply {
  /** the text of every choice (all choices are identical); null when the reply is a tool call */
  content: string | null;
  toolCall: ToolCall | null;
  finishReason: FinishReason;
  promptTokens: number;
  /** tokens of one choice; usage multiplies by n, as OpenAI bills every choice */
  choiceTokens: number;
}

const INTRODUCTION =
  "This is the built-in local model of the Deep Seek Chat API platform; no upstream model is " +
  "configured, so it does not generate real answers.";
const SUMMARY_CHARACTERS = 80;

/**
 * The reply of the built-in model: a fixed statement of what it is plus an echo of the last user
 * message, shaped by the request's limits. A pure function of the request, so that tests and
 * callers can rely on the same request giving the same answer. The provider passes the prompt's
 * tokens counted where large texts are counted (off the event loop); without them they are
 * counted here.
 */
export function composeLocalReply(
  request: ChatCompletionRequest,
  promptTokens: number = countChatTokens(request.messages),
): LocalReply {
  const toolName = forcedToolName(request);
  if (toolName !== null) {
    const toolCall: ToolCall = {
      id: `call_${digestBase62(JSON.stringify(request), 24)}`,
      type: "function",
      function: { name: toolName, arguments: toolArgumentsFor(parametersOf(request, toolName)) },
    };
    return {
      content: null,
      toolCall,
      finishReason: "tool_calls",
      promptTokens,
      choiceTokens: countTokens(toolName) + countTokens(toolCall.function.arguments),
    };
  }

  const sentence = `${INTRODUCTION} ${echoOfLastUserMessage(request)}`;
  const isJson =
    request.response_format?.type === "json_object" || request.response_format?.type === "json_schema";
  // json_schema gets the same object: the local model cannot follow a schema, but its reply still parses
  const full = isJson ? JSON.stringify({ model: "local", message: sentence }) : sentence;

  const stopped = cutAtStop(full, request.stop);
  const limit = request.max_completion_tokens ?? request.max_tokens ?? null;
  const content = limit === null ? stopped : truncateToTokens(stopped, limit);
  return {
    content,
    toolCall: null,
    finishReason: content.length < stopped.length ? "length" : "stop",
    promptTokens,
    choiceTokens: countTokens(content),
  };
}

function forcedToolName(request: ChatCompletionRequest): string | null {
  const choice = request.tool_choice;
  if (typeof choice === "object") return choice.function.name;
  if (choice === "required") return request.tools?.[0]?.function.name ?? null;
  return null;
}

function parametersOf(request: ChatCompletionRequest, toolName: string): Record<string, unknown> | undefined {
  return request.tools?.find((tool) => tool.function.name === toolName)?.function.parameters;
}

function echoOfLastUserMessage(request: ChatCompletionRequest): string {
  const last = request.messages.findLast((message) => message.role === "user");
  if (last === undefined) return "There was no user message to answer.";
  const text = messageText(last).replace(/\s+/g, " ").trim();
  if (text.length === 0) return "Your last message had no text.";
  const words = text.split(" ").length;
  // count code points, not UTF-16 units, so that a summary never ends in half a surrogate pair
  const characters = Array.from(text);
  const summary =
    characters.length > SUMMARY_CHARACTERS
      ? `${characters.slice(0, SUMMARY_CHARACTERS - 1).join("")}…`
      : text;
  return `You said: "${summary}" (${words} ${words === 1 ? "word" : "words"}).`;
}

function cutAtStop(text: string, stop: ChatCompletionRequest["stop"]): string {
  const stops = stop == null ? [] : typeof stop === "string" ? [stop] : stop;
  let end = text.length;
  for (const sequence of stops) {
    if (sequence.length === 0) continue;
    const index = text.indexOf(sequence);
    if (index !== -1 && index < end) end = index;
  }
  return text.slice(0, end);
}

/**
 * The longest prefix of `text` that counts as at most `limit` tokens. Decoding the first
 * `limit` tokens is nearly always it; the loop covers the rare prefix that re-encodes
 * differently or ends inside a multi-byte character. The reply is a few hundred characters at
 * most (the echo is cut to 80), so the loop stays cheap whatever the prompt.
 */
function truncateToTokens(text: string, limit: number): string {
  if (countTokens(text) <= limit) return text;
  // the echo may quote special-token text (`<|endoftext|>`), which is text here as everywhere
  const tokens = encode(text, ORDINARY_TEXT);
  for (let keep = Math.min(limit, tokens.length); keep > 0; keep--) {
    const prefix = decode(tokens.slice(0, keep));
    if (text.startsWith(prefix) && countTokens(prefix) <= limit) return prefix;
  }
  return "";
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** A short base62 name derived from a value; for ids that must repeat with their input. */
function digestBase62(value: string, length: number): string {
  const digest = createHash("sha256").update(value).digest();
  let out = "";
  // modulo bias does not matter here: these ids are labels, not secrets
  for (let i = 0; i < length; i++) out += BASE62[(digest[i % digest.length] ?? 0) % 62];
  return out;
}
