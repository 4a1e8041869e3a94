import { ChatCompletionChunkSchema, ChatCompletionRequestSchema, ChatCompletionSchema } from "../../chat.ts";
import { ErrorResponseSchema } from "../../error.ts";
import { defineOperation } from "../define-operation.ts";

export const createChatCompletionOperation = defineOperation({
  id: "createChatCompletion",
  method: "POST",
  path: "/v1/chat/completions",
  scope: "chat",
  summary: "Create a chat completion",
  description:
    "Answers the conversation in `messages`. With `stream: true` the answer is a stream of " +
    "server-sent events instead of one JSON object.",
  tags: ["Chat"],
  body: { kind: "json", schema: ChatCompletionRequestSchema },
  responses: {
    200: {
      description:
        "The completion: `application/json` unless the request set `stream: true`, then " +
        "`text/event-stream`.",
      json: ChatCompletionSchema,
      eventStream: {
        events: [ChatCompletionChunkSchema, ErrorResponseSchema],
        description:
          "Server-sent events. Each event's `data` is one ChatCompletionChunk as JSON; the " +
          "stream ends with `data: [DONE]`. When the upstream fails mid-stream, an event's " +
          "`data` is an ErrorResponse and the stream ends without `[DONE]`. Lines starting " +
          "with `:` are keep-alive comments.",
        example:
          'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,' +
          '"model":"deepseek-chst-1.0","choices":[{"index":0,"delta":{"role":"assistant",' +
          '"content":"Hello"},"finish_reason":null}]}\n\ndata: [DONE]\n\n',
      },
    },
  },
  errors: {
    400: { codes: ["invalid_json", "invalid_value", "missing_required_parameter"] },
    401: {},
    403: {},
    404: { codes: ["model_not_found"] },
    413: {},
    415: {},
    429: {},
    500: {},
    502: { codes: ["upstream_error"] },
    503: { codes: ["upstream_unavailable"] },
    504: { codes: ["upstream_timeout"] },
  },
});
