import { z } from "zod";
import { isStorableText, RequestEndUserSchema } from "./identifiers.ts";

/*
 * POST /v1/chat/completions, as OpenAI defines it. Objects are loose: fields we do not know
 * yet pass through to the upstream model unchanged; the ones we know are checked here.
 */

const TextPartSchema = z.looseObject({ type: z.literal("text"), text: z.string() });
/** A content part (text, image_url, input_audio, file, …); only its type is required here. */
const ContentPartSchema = z.looseObject({ type: z.string().min(1) });

const TextContentSchema = z.union([z.string(), z.array(TextPartSchema).min(1)]);
const UserContentSchema = z.union([z.string(), z.array(ContentPartSchema).min(1)]);

export const ToolCallSchema = z.looseObject({
  id: z.string(),
  type: z.literal("function"),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof ToolCallSchema>;

export const ChatMessageSchema = z.discriminatedUnion("role", [
  z.looseObject({ role: z.literal("system"), content: TextContentSchema, name: z.string().optional() }),
  z.looseObject({ role: z.literal("developer"), content: TextContentSchema, name: z.string().optional() }),
  z.looseObject({ role: z.literal("user"), content: UserContentSchema, name: z.string().optional() }),
  z.looseObject({
    role: z.literal("assistant"),
    content: z.union([TextContentSchema, z.null()]).optional(),
    name: z.string().optional(),
    refusal: z.string().nullable().optional(),
    tool_calls: z.array(ToolCallSchema).optional(),
  }),
  z.looseObject({ role: z.literal("tool"), content: TextContentSchema, tool_call_id: z.string().min(1) }),
]);
export type ChatMessage = z.infer<typeof ChatMessageSchema>;

export const ToolSchema = z.looseObject({
  type: z.literal("function"),
  function: z.looseObject({
    name: z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, "must be 1-64 letters, digits, _ or -"),
    description: z.string().optional(),
    parameters: z.record(z.string(), z.unknown()).optional(),
    strict: z.boolean().nullable().optional(),
  }),
});

export const ToolChoiceSchema = z.union([
  z.enum(["none", "auto", "required"]),
  z.looseObject({ type: z.literal("function"), function: z.object({ name: z.string() }) }),
]);

export const ResponseFormatSchema = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({ name: z.string(), schema: z.record(z.string(), z.unknown()).optional() }),
  }),
]);

const optionalNullable = <T extends z.ZodType>(schema: T) => schema.nullable().optional();

export const ChatCompletionRequestSchema = z.looseObject({
  model: z
    .string()
    .min(1, "you must provide a model parameter")
    .refine(isStorableText, "must not contain NUL or unpaired surrogates"),
  messages: z.array(ChatMessageSchema).min(1, "messages must contain at least one message"),
  temperature: optionalNullable(z.number().min(0).max(2)),
  top_p: optionalNullable(z.number().min(0).max(1)),
  max_tokens: optionalNullable(z.number().int().min(1)),
  max_completion_tokens: optionalNullable(z.number().int().min(1)),
  stop: optionalNullable(z.union([z.string(), z.array(z.string()).min(1).max(4)])),
  n: optionalNullable(z.number().int().min(1).max(128)),
  seed: optionalNullable(z.number().int()),
  user: RequestEndUserSchema,
  stream: optionalNullable(z.boolean()),
  stream_options: optionalNullable(z.looseObject({ include_usage: z.boolean().optional() })),
  presence_penalty: optionalNullable(z.number().min(-2).max(2)),
  frequency_penalty: optionalNullable(z.number().min(-2).max(2)),
  response_format: ResponseFormatSchema.optional(),
  tools: z.array(ToolSchema).max(128).optional(),
  tool_choice: ToolChoiceSchema.optional(),
  parallel_tool_calls: z.boolean().optional(),
});
export type ChatCompletionRequest = z.infer<typeof ChatCompletionRequestSchema>;

export const FinishReasonSchema = z.enum(["stop", "length", "tool_calls", "content_filter", "function_call"]);
export type FinishReason = z.infer<typeof FinishReasonSchema>;

export const UsageSchema = z.looseObject({
  prompt_tokens: z.number().int().min(0),
  completion_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0),
});
export type Usage = z.infer<typeof UsageSchema>;

export const ChatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      message: z.looseObject({
        role: z.literal("assistant"),
        content: z.string().nullable(),
        refusal: z.string().nullable().optional(),
        tool_calls: z.array(ToolCallSchema).optional(),
      }),
      finish_reason: FinishReasonSchema.nullable(),
      logprobs: z.unknown().nullable().optional(),
    }),
  ),
  usage: UsageSchema.optional(),
  system_fingerprint: z.string().nullable().optional(),
});
export type ChatCompletion = z.infer<typeof ChatCompletionSchema>;

export const ChatCompletionChunkSchema = z.looseObject({
  id: z.string(),
  object: z.literal("chat.completion.chunk"),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      delta: z.looseObject({
        role: z.literal("assistant").optional(),
        content: z.string().nullable().optional(),
        refusal: z.string().nullable().optional(),
        tool_calls: z.array(z.looseObject({ index: z.number().int() })).optional(),
      }),
      finish_reason: FinishReasonSchema.nullable(),
      logprobs: z.unknown().nullable().optional(),
    }),
  ),
  usage: UsageSchema.nullable().optional(),
  system_fingerprint: z.string().nullable().optional(),
});
export type ChatCompletionChunk = z.infer<typeof ChatCompletionChunkSchema>;
