import { z } from "zod";
import {
  ChatCompletionChunkSchema,
  ChatCompletionRequestSchema,
  ChatCompletionSchema,
  ChatMessageSchema,
  FinishReasonSchema,
  ResponseFormatSchema,
  ToolCallSchema,
  ToolChoiceSchema,
  ToolSchema,
  UsageSchema,
} from "./chat.ts";
import { ApiErrorSchema, ErrorResponseSchema } from "./error.ts";
import { LivenessSchema, ReadinessSchema } from "./health.ts";
import { ModelListSchema, ModelSchema } from "./models.ts";
import { API_VERSIONS, ApiVersionListSchema, CURRENT_API_VERSION } from "./versions.ts";

/*
 * The OpenAPI document of the public API, generated from the zod contract so the two cannot
 * drift. Every schema below is a component; zod writes a `$ref` wherever one contains another.
 */

export type JsonSchema = { [key: string]: unknown };

/** What a credential needs to call an operation; mirrors the gateway's `config.scope`. */
export type OperationScope = "models:read" | "chat" | "public";

export interface OpenApiOperation {
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  "x-scope": OperationScope;
  security: Array<Record<string, string[]>>;
  parameters?: JsonSchema[];
  requestBody?: JsonSchema;
  responses: Record<string, JsonSchema>;
}

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string; description: string };
  servers?: Array<{ url: string }>;
  tags: Array<{ name: string; description: string }>;
  paths: Record<string, Partial<Record<"get" | "post", OpenApiOperation>>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
    parameters: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
  };
}

interface Component {
  schema: z.ZodType;
  description: string;
}

/** What clients send, converted as zod's input type. */
const REQUEST_COMPONENTS: Record<string, Component> = {
  ChatCompletionRequest: {
    schema: ChatCompletionRequestSchema,
    description: "A chat completion request, as OpenAI defines it; unknown fields pass through.",
  },
  ChatMessage: { schema: ChatMessageSchema, description: "One message of the conversation." },
  Tool: { schema: ToolSchema, description: "A function the model may call." },
  ToolChoice: { schema: ToolChoiceSchema, description: "Whether and which function the model must call." },
  ResponseFormat: { schema: ResponseFormatSchema, description: "The format the model must answer in." },
  ToolCall: { schema: ToolCallSchema, description: "A function call the model made." },
};

/** What the API answers, converted as zod's output type. */
const RESPONSE_COMPONENTS: Record<string, Component> = {
  ChatCompletion: { schema: ChatCompletionSchema, description: "A finished chat completion." },
  ChatCompletionChunk: {
    schema: ChatCompletionChunkSchema,
    description: "One server-sent event of a streamed chat completion.",
  },
  ToolCall: { schema: ToolCallSchema, description: "A function call the model made." },
  FinishReason: { schema: FinishReasonSchema, description: "Why the model stopped." },
  Usage: { schema: UsageSchema, description: "Tokens the request used." },
  Model: {
    schema: ModelSchema,
    description: "A model; `shutdown_date` (YYYY-MM-DD) only on models scheduled for retirement.",
  },
  ModelList: { schema: ModelListSchema, description: "The models the credential may use." },
  ErrorResponse: { schema: ErrorResponseSchema, description: "The one error shape of the API." },
  ApiError: { schema: ApiErrorSchema, description: "OpenAI's error object." },
  Liveness: { schema: LivenessSchema, description: "The process is up." },
  ApiVersionList: { schema: ApiVersionListSchema, description: "The API versions and their sunset dates." },
  Readiness: { schema: ReadinessSchema, description: "Whether the process can serve requests." },
};

const schemaRef = (id: string) => `#/components/schemas/${id}`;

/**
 * `z.number().int()` is a safe integer, so zod writes ±(2^53 − 1) bounds on every integer.
 * They are noise to a reader and to code generators; explicit bounds (`.min(0)`) stay.
 */
function dropSafeIntegerBounds({ jsonSchema }: { jsonSchema: JsonSchema }) {
  if (jsonSchema.type !== "integer") return;
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
}

function convertComponents(components: Record<string, Component>, io: "input" | "output") {
  // A registry of our own, so the ids stay local to the document and the exported schemas
  // carry no OpenAPI metadata.
  const registry = z.registry<{ id: string }>();
  for (const [id, { schema }] of Object.entries(components)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, {
    io,
    target: "draft-2020-12",
    uri: schemaRef,
    // Unnamed shared pieces (text parts, content unions) are inlined rather than extracted
    // under generated names; anything zod cannot express fails the build instead of becoming {}.
    reused: "inline",
    unrepresentable: "throw",
    override: dropSafeIntegerBounds,
  });
  const result: Record<string, JsonSchema> = {};
  for (const [id, component] of Object.entries(components)) {
    const generated = schemas[id];
    if (!generated) throw new Error(`zod did not emit component ${id}`);
    // A JSON round trip drops zod's non-enumerable `~standard` property; `$schema` and `$id`
    // (a fragment, which 2020-12 forbids in `$id`) belong to standalone documents, not components.
    const { $schema: _schema, $id: _id, ...rest } = JSON.parse(JSON.stringify(generated)) as JsonSchema;
    result[id] = { description: component.description, ...rest };
  }
  return result;
}

function buildComponentSchemas(): Record<string, JsonSchema> {
  const requests = convertComponents(REQUEST_COMPONENTS, "input");
  const responses = convertComponents(RESPONSE_COMPONENTS, "output");
  for (const [id, schema] of Object.entries(requests)) {
    const other = responses[id];
    if (other && JSON.stringify(other) !== JSON.stringify(schema)) {
      throw new Error(`component ${id} differs between requests and responses; give each form its own id`);
    }
  }
  const merged = { ...requests, ...responses };
  return Object.fromEntries(
    Object.keys(merged)
      .sort()
      .map((id) => [id, merged[id] as JsonSchema]),
  );
}

const ERROR_RESPONSES = {
  400: {
    name: "BadRequest",
    description: "The request is malformed, fails validation or names an unknown `x-api-version`.",
  },
  401: { name: "Unauthorized", description: "The API key is missing, unknown, expired or revoked." },
  403: { name: "Forbidden", description: "The API key lacks the scope this operation needs." },
  404: { name: "NotFound", description: "The model or URL does not exist." },
  413: { name: "PayloadTooLarge", description: "The request body is too large." },
  415: { name: "UnsupportedMediaType", description: "The request body is not `application/json`." },
  429: { name: "RateLimited", description: "A rate limit or the monthly quota is exhausted." },
  500: { name: "InternalError", description: "The server failed; the message never holds details." },
  502: { name: "BadGateway", description: "The upstream model provider failed." },
  503: { name: "ServiceUnavailable", description: "The service is starting, stopping or overloaded." },
  504: { name: "GatewayTimeout", description: "The upstream model provider did not answer in time." },
} as const;
type ErrorStatus = keyof typeof ERROR_RESPONSES;

const errorResponses = (statuses: ErrorStatus[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      String(status),
      { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` },
    ]),
  );

const REQUEST_ID_HEADER = { "x-request-id": { $ref: "#/components/headers/RequestId" } };
const VERSIONED_HEADERS = {
  ...REQUEST_ID_HEADER,
  "x-api-version": { $ref: "#/components/headers/ApiVersion" },
};
const API_VERSION_PARAMETER = { $ref: "#/components/parameters/ApiVersion" };
const BEARER = [{ bearer: [] }];

const json = (id: string) => ({ "application/json": { schema: { $ref: schemaRef(id) } } });

function buildPaths(): OpenApiDocument["paths"] {
  return {
    "/v1/models": {
      get: {
        operationId: "listModels",
        summary: "List models",
        description: "The models the credential's organization may use.",
        tags: ["Models"],
        "x-scope": "models:read",
        security: BEARER,
        parameters: [API_VERSION_PARAMETER],
        responses: {
          200: { description: "The models.", headers: VERSIONED_HEADERS, content: json("ModelList") },
          ...errorResponses([400, 401, 403, 429, 500, 503]),
        },
      },
    },
    "/v1/models/{model}": {
      get: {
        operationId: "retrieveModel",
        summary: "Retrieve a model",
        tags: ["Models"],
        "x-scope": "models:read",
        security: BEARER,
        parameters: [
          {
            name: "model",
            in: "path",
            required: true,
            description: "The model's id, e.g. `deepseek-chst-1.0`.",
            schema: { type: "string" },
          },
          API_VERSION_PARAMETER,
        ],
        responses: {
          200: { description: "The model.", headers: VERSIONED_HEADERS, content: json("Model") },
          ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
        },
      },
    },
    "/v1/chat/completions": {
      post: {
        operationId: "createChatCompletion",
        summary: "Create a chat completion",
        description:
          "Answers the conversation in `messages`. With `stream: true` the answer is a stream of " +
          "server-sent events instead of one JSON object.",
        tags: ["Chat"],
        "x-scope": "chat",
        security: BEARER,
        parameters: [API_VERSION_PARAMETER],
        requestBody: { required: true, content: json("ChatCompletionRequest") },
        responses: {
          200: {
            description:
              "The completion: `application/json` unless the request set `stream: true`, then " +
              "`text/event-stream`.",
            headers: VERSIONED_HEADERS,
            content: {
              ...json("ChatCompletion"),
              "text/event-stream": {
                schema: {
                  type: "string",
                  description:
                    "Server-sent events. Each event's `data` is one ChatCompletionChunk as JSON; the " +
                    "stream ends with `data: [DONE]`. When the upstream fails mid-stream, an event's " +
                    "`data` is an ErrorResponse and the stream ends without `[DONE]`. Lines starting " +
                    "with `:` are keep-alive comments.",
                },
                "x-event-schema": {
                  oneOf: [{ $ref: schemaRef("ChatCompletionChunk") }, { $ref: schemaRef("ErrorResponse") }],
                },
                example:
                  'data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1767225600,' +
                  '"model":"deepseek-chst-1.0","choices":[{"index":0,"delta":{"role":"assistant",' +
                  '"content":"Hello"},"finish_reason":null}]}\n\ndata: [DONE]\n\n',
              },
            },
          },
          ...errorResponses([400, 401, 403, 404, 413, 415, 429, 500, 502, 503, 504]),
        },
      },
    },
    "/v1/versions": {
      get: {
        operationId: "listApiVersions",
        summary: "API versions",
        description: "Released, deprecated and sunset dates of each version; Deprecation headers link here.",
        tags: ["Meta"],
        "x-scope": "public",
        security: [],
        responses: {
          200: {
            description: "The version table.",
            headers: REQUEST_ID_HEADER,
            content: json("ApiVersionList"),
          },
        },
      },
    },
    "/v1/openapi.json": {
      get: {
        operationId: "getOpenApiDocument",
        summary: "This document",
        tags: ["Meta"],
        "x-scope": "public",
        security: [],
        responses: {
          200: {
            description: "The OpenAPI 3.1 document of the API.",
            headers: REQUEST_ID_HEADER,
            content: { "application/json": { schema: { type: "object" } } },
          },
        },
      },
    },
    "/healthz": {
      get: {
        operationId: "getLiveness",
        summary: "Liveness",
        description: "The process is up; for load balancers and orchestrators.",
        tags: ["Meta"],
        "x-scope": "public",
        security: [],
        responses: {
          200: { description: "The process is up.", headers: REQUEST_ID_HEADER, content: json("Liveness") },
        },
      },
    },
    "/readyz": {
      get: {
        operationId: "getReadiness",
        summary: "Readiness",
        description: "The process can serve requests: its dependencies answer.",
        tags: ["Meta"],
        "x-scope": "public",
        security: [],
        responses: {
          200: { description: "Ready.", headers: REQUEST_ID_HEADER, content: json("Readiness") },
          503: {
            description: "Not ready; `checks` names the dependency that is down.",
            headers: REQUEST_ID_HEADER,
            content: json("Readiness"),
          },
        },
      },
    },
  };
}

function buildErrorResponseComponents(): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.values(ERROR_RESPONSES).map(({ name, description }) => [
      name,
      { description, headers: REQUEST_ID_HEADER, content: json("ErrorResponse") },
    ]),
  );
}

/**
 * The OpenAPI 3.1 document of the public API. Deterministic: the same contract gives the same
 * document, so it can be served, snapshotted and diffed. `serverUrl` is the origin the `/v1`
 * paths hang off (e.g. `https://api.example.com`), not the `/v1` base URL the client takes.
 */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): OpenApiDocument {
  const versions = API_VERSIONS.map(({ version, deprecated, sunset }) => {
    if (version === CURRENT_API_VERSION) return `${version} (current)`;
    if (sunset) return `${version} (${deprecated ? `deprecated ${deprecated}, ` : ""}sunset ${sunset})`;
    return version;
  }).join(", ");
  return {
    openapi: "3.1.0",
    info: {
      title: "Deep Seek Chat API",
      version: CURRENT_API_VERSION,
      description:
        "An OpenAI-compatible chat API. Authenticate with `Authorization: Bearer <API key>`; each " +
        "operation's `x-scope` names the scope the key needs.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: "Models", description: "The models a credential may use." },
      { name: "Chat", description: "Chat completions." },
      { name: "Meta", description: "Health and this document; no credentials needed." },
    ],
    paths: buildPaths(),
    components: {
      schemas: buildComponentSchemas(),
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API key as a bearer token." },
      },
      parameters: {
        ApiVersion: {
          name: "x-api-version",
          in: "header",
          required: false,
          description:
            `The API version the request is written for, e.g. "${CURRENT_API_VERSION}"; without it, the ` +
            `current one. Unknown and sunset versions are refused with 400. Versions: ${versions}.`,
          schema: { type: "string", pattern: "^[0-9]+\\.[0-9]+$" },
          example: CURRENT_API_VERSION,
        },
      },
      headers: {
        RequestId: {
          description: "The request's id; quote it when reporting a problem.",
          schema: { type: "string" },
        },
        ApiVersion: {
          description: "The API version the response is written in.",
          schema: { type: "string" },
        },
      },
      responses: buildErrorResponseComponents(),
    },
  };
}
