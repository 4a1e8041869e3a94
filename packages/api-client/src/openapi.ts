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
import { DeletionRequestSchema, UserExportSchema } from "./compliance.ts";
import { ApiErrorSchema, ErrorResponseSchema } from "./error.ts";
import {
  FileCreateRequestSchema,
  FileDeletedSchema,
  FileListQuerySchema,
  FileListSchema,
  FileObjectSchema,
  FilePurposeSchema,
} from "./files.ts";
import { LivenessSchema, ReadinessSchema } from "./health.ts";
import { END_USER_ID_MAX_LENGTH } from "./identifiers.ts";
import { ModelListSchema, ModelSchema } from "./models.ts";
import {
  AuthorizationServerMetadataSchema,
  JwksSchema,
  OAuthErrorResponseSchema,
  PublicJwkSchema,
  TokenRequestSchema,
  TokenResponseSchema,
} from "./oauth.ts";
import { API_VERSIONS, ApiVersionListSchema, CURRENT_API_VERSION } from "./versions.ts";

/*
 * The OpenAPI document of the public API, generated from the zod contract so the two cannot
 * drift. Every schema below is a component; zod writes a `$ref` wherever one contains another.
 */

export type JsonSchema = { [key: string]: unknown };

/** What a credential needs to call an operation; mirrors the gateway's `config.scope`. */
export type OperationScope = "models:read" | "chat" | "files" | "users:delete" | "users:export" | "public";

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
  paths: Record<string, Partial<Record<"get" | "post" | "delete", OpenApiOperation>>>;
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
  TokenRequest: {
    schema: TokenRequestSchema,
    description:
      "A client credentials grant (RFC 6749 §4.4); the client authenticates with HTTP Basic or with " +
      "`client_id` and `client_secret` here.",
  },
  ChatCompletionRequest: {
    schema: ChatCompletionRequestSchema,
    description: "A chat completion request, as OpenAI defines it; unknown fields pass through.",
  },
  ChatMessage: { schema: ChatMessageSchema, description: "One message of the conversation." },
  Tool: { schema: ToolSchema, description: "A function the model may call." },
  ToolChoice: { schema: ToolChoiceSchema, description: "Whether and which function the model must call." },
  ResponseFormat: { schema: ResponseFormatSchema, description: "The format the model must answer in." },
  ToolCall: { schema: ToolCallSchema, description: "A function call the model made." },
  FileCreateRequest: {
    schema: FileCreateRequestSchema,
    description: "A file upload: the form fields of a `multipart/form-data` body.",
  },
  FilePurpose: { schema: FilePurposeSchema, description: "What an uploaded file is for." },
};

/** What the API answers, converted as zod's output type. */
const RESPONSE_COMPONENTS: Record<string, Component> = {
  TokenResponse: { schema: TokenResponseSchema, description: "An access token (RFC 6749 §5.1)." },
  DeletionRequest: {
    schema: DeletionRequestSchema,
    description: "An erasure of an end user's data, processed within 72 hours (`due_at`).",
  },
  UserExport: { schema: UserExportSchema, description: "Everything kept about one end user, decrypted." },
  OAuthErrorResponse: {
    schema: OAuthErrorResponseSchema,
    description: "The error shape of the OAuth endpoints (RFC 6749 §5.2), not the API's.",
  },
  Jwks: { schema: JwksSchema, description: "The public keys that verify access tokens (RFC 7517)." },
  PublicJwk: { schema: PublicJwkSchema, description: "A public signing key." },
  AuthorizationServerMetadata: {
    schema: AuthorizationServerMetadataSchema,
    description: "OAuth 2.0 authorization server metadata (RFC 8414).",
  },
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
  FileObject: { schema: FileObjectSchema, description: "An uploaded file." },
  FileList: { schema: FileListSchema, description: "A page of the organization's files." },
  FileDeleted: { schema: FileDeletedSchema, description: "The file is gone." },
  FilePurpose: { schema: FilePurposeSchema, description: "What an uploaded file is for." },
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
  404: { name: "NotFound", description: "The model, file or URL does not exist." },
  413: { name: "PayloadTooLarge", description: "The request body is too large." },
  415: {
    name: "UnsupportedMediaType",
    description: "The request body is not `application/json` (`multipart/form-data` for uploads).",
  },
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

/** Query parameters from a zod object, so the document and the gateway's validation agree. */
function queryParameters(schema: z.ZodObject): JsonSchema[] {
  return Object.entries(schema.shape).map(([name, field]) => {
    const type = field as z.ZodType;
    const converted = z.toJSONSchema(type, {
      io: "input",
      target: "draft-2020-12",
      unrepresentable: "throw",
      override: dropSafeIntegerBounds,
    }) as JsonSchema;
    const { $schema: _schema, description, ...rest } = JSON.parse(JSON.stringify(converted)) as JsonSchema;
    return {
      name,
      in: "query",
      required: !type.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

const FILE_ID_PARAMETER = {
  name: "file_id",
  in: "path",
  required: true,
  description: "The file's id, e.g. `file-abc123`.",
  schema: { type: "string" },
};

/** The OAuth endpoints: at the root, not under /v1, and answering errors in OAuth's shape. */
function buildOAuthPaths(): OpenApiDocument["paths"] {
  const oauthError = (description: string, headers: JsonSchema = {}) => ({
    description,
    headers: { ...REQUEST_ID_HEADER, ...headers },
    content: json("OAuthErrorResponse"),
  });
  const tokenRequest = { schema: { $ref: schemaRef("TokenRequest") } };
  return {
    "/oauth2/token": {
      post: {
        operationId: "createAccessToken",
        summary: "Get an access token",
        description:
          "The client credentials grant: exchanges an OAuth client's id and secret for a short-lived " +
          "access token (a JWT) that works wherever an API key does. Scopes can be narrowed with " +
          "`scope`. Repeated failed client authentications are refused for a while (429 `slow_down`).",
        tags: ["OAuth"],
        "x-scope": "public",
        security: [{ clientBasic: [] }, {}],
        requestBody: {
          required: true,
          content: { "application/x-www-form-urlencoded": tokenRequest, "application/json": tokenRequest },
        },
        responses: {
          200: {
            description: "The token; never cached (`Cache-Control: no-store`).",
            headers: REQUEST_ID_HEADER,
            content: json("TokenResponse"),
          },
          400: oauthError(
            "`invalid_request`, `unsupported_grant_type` (only `client_credentials`) or `invalid_scope`.",
          ),
          401: oauthError("`invalid_client`: unknown, revoked or expired client, or a wrong secret.", {
            "www-authenticate": { schema: { type: "string" }, description: '`Basic realm="oauth2"`' },
          }),
          403: oauthError("`invalid_request`: client secrets are only accepted over HTTPS."),
          415: oauthError("`invalid_request`: the body is neither form-encoded nor JSON."),
          429: oauthError("`slow_down`: too many failed client authentications.", {
            "retry-after": { schema: { type: "integer" }, description: "Seconds to wait." },
          }),
          500: oauthError("`server_error`; the description never holds details."),
        },
      },
    },
    "/.well-known/jwks.json": {
      get: {
        operationId: "getJwks",
        summary: "Token signing keys",
        description:
          "The public keys that verify access tokens, newest first. After a rotation the old key stays " +
          "here until the tokens it signed have expired; refetch when a token names an unknown `kid`.",
        tags: ["OAuth"],
        "x-scope": "public",
        security: [],
        responses: {
          200: { description: "A JWK Set.", headers: REQUEST_ID_HEADER, content: json("Jwks") },
          500: oauthError("`server_error`."),
        },
      },
    },
    "/.well-known/oauth-authorization-server": {
      get: {
        operationId: "getAuthorizationServerMetadata",
        summary: "Authorization server metadata",
        description: "RFC 8414 metadata: issuer, token endpoint, JWKS, grant types and scopes.",
        tags: ["OAuth"],
        "x-scope": "public",
        security: [],
        responses: {
          200: {
            description: "The metadata.",
            headers: REQUEST_ID_HEADER,
            content: json("AuthorizationServerMetadata"),
          },
        },
      },
    },
  };
}

function buildCompliancePaths(): OpenApiDocument["paths"] {
  const user = {
    name: "user",
    in: "path" as const,
    required: true,
    description:
      "The end-user id your application sends as `user` in chat requests, exactly as sent " +
      "(percent-encoded in the path).",
    schema: { type: "string", minLength: 1, maxLength: END_USER_ID_MAX_LENGTH },
  };
  return {
    "/v1/users/{user}": {
      delete: {
        operationId: "deleteUserData",
        summary: "Erase an end user's data",
        description:
          "Opens a GDPR/CCPA erasure of the user's logs, files and cached answers, due 72 hours later; " +
          "returns the open request instead while one is pending.",
        tags: ["Compliance"],
        "x-scope": "users:delete",
        security: BEARER,
        parameters: [user, API_VERSION_PARAMETER],
        responses: {
          202: {
            description: "The deletion request.",
            headers: VERSIONED_HEADERS,
            content: json("DeletionRequest"),
          },
          ...errorResponses([400, 401, 403, 429, 500, 503]),
        },
      },
    },
    "/v1/deletion_requests/{id}": {
      get: {
        operationId: "retrieveDeletionRequest",
        summary: "Retrieve a deletion request",
        tags: ["Compliance"],
        "x-scope": "users:delete",
        security: BEARER,
        parameters: [
          { name: "id", in: "path", required: true, description: "`delreq_…`", schema: { type: "string" } },
          API_VERSION_PARAMETER,
        ],
        responses: {
          200: {
            description: "Its status and, once done, its report.",
            headers: VERSIONED_HEADERS,
            content: json("DeletionRequest"),
          },
          ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
        },
      },
    },
    "/v1/users/{user}/export": {
      get: {
        operationId: "exportUserData",
        summary: "Export an end user's data",
        tags: ["Compliance"],
        "x-scope": "users:export",
        security: BEARER,
        parameters: [user, API_VERSION_PARAMETER],
        responses: {
          200: {
            description: "The user's logs and file metadata.",
            headers: VERSIONED_HEADERS,
            content: json("UserExport"),
          },
          ...errorResponses([400, 401, 403, 429, 500, 503]),
        },
      },
    },
  };
}

function buildPaths(): OpenApiDocument["paths"] {
  return {
    ...buildOAuthPaths(),
    ...buildCompliancePaths(),
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
    "/v1/files": {
      post: {
        operationId: "createFile",
        summary: "Upload a file",
        description:
          "Streams the file to storage, computing its SHA-256 on the way; larger than the plan's " +
          "maximum file size is a 413 and nothing is kept. The file expires `expires_after[seconds]` " +
          "after upload, or else after the organization's file retention (7 days unless configured); " +
          "an organization's own retention setting is also a ceiling.",
        tags: ["Files"],
        "x-scope": "files",
        security: BEARER,
        parameters: [API_VERSION_PARAMETER],
        requestBody: {
          required: true,
          content: { "multipart/form-data": { schema: { $ref: schemaRef("FileCreateRequest") } } },
        },
        responses: {
          200: { description: "The stored file.", headers: VERSIONED_HEADERS, content: json("FileObject") },
          ...errorResponses([400, 401, 403, 413, 415, 429, 500, 503]),
        },
      },
      get: {
        operationId: "listFiles",
        summary: "List files",
        description: "The organization's files that have not expired, newest first unless `order=asc`.",
        tags: ["Files"],
        "x-scope": "files",
        security: BEARER,
        parameters: [...queryParameters(FileListQuerySchema), API_VERSION_PARAMETER],
        responses: {
          200: { description: "A page of files.", headers: VERSIONED_HEADERS, content: json("FileList") },
          ...errorResponses([400, 401, 403, 429, 500, 503]),
        },
      },
    },
    "/v1/files/{file_id}": {
      get: {
        operationId: "retrieveFile",
        summary: "Retrieve a file",
        tags: ["Files"],
        "x-scope": "files",
        security: BEARER,
        parameters: [FILE_ID_PARAMETER, API_VERSION_PARAMETER],
        responses: {
          200: { description: "The file.", headers: VERSIONED_HEADERS, content: json("FileObject") },
          ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
        },
      },
      delete: {
        operationId: "deleteFile",
        summary: "Delete a file",
        tags: ["Files"],
        "x-scope": "files",
        security: BEARER,
        parameters: [FILE_ID_PARAMETER, API_VERSION_PARAMETER],
        responses: {
          200: {
            description: "The file is deleted.",
            headers: VERSIONED_HEADERS,
            content: json("FileDeleted"),
          },
          ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
        },
      },
    },
    "/v1/files/{file_id}/content": {
      get: {
        operationId: "retrieveFileContent",
        summary: "Download a file's content",
        description:
          "The bytes as uploaded, streamed, with the uploaded `Content-Type`, `Content-Length` and " +
          "`Content-Disposition: attachment` carrying the file name (RFC 6266, `filename*`).",
        tags: ["Files"],
        "x-scope": "files",
        security: BEARER,
        parameters: [FILE_ID_PARAMETER, API_VERSION_PARAMETER],
        responses: {
          200: {
            description: "The file's bytes.",
            headers: VERSIONED_HEADERS,
            content: { "application/octet-stream": { schema: { type: "string", format: "binary" } } },
          },
          ...errorResponses([400, 401, 403, 404, 429, 500, 503]),
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
    "/metrics": {
      get: {
        operationId: "getMetrics",
        summary: "Metrics",
        description:
          "This instance's counters and gauges in Prometheus' text format: rate-limiter fallback " +
          "(Redis unreachable), response cache, usage-event writer. No organization data.",
        tags: ["Meta"],
        "x-scope": "public",
        security: [],
        responses: {
          200: {
            description: "Prometheus text exposition format 0.0.4.",
            headers: REQUEST_ID_HEADER,
            content: { "text/plain": { schema: { type: "string" } } },
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
        "An OpenAI-compatible chat API. Authenticate with `Authorization: Bearer <API key>` or with an " +
        "OAuth access token from `POST /oauth2/token`; each operation's `x-scope` names the scope the " +
        "credential needs.",
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    tags: [
      { name: "Models", description: "The models a credential may use." },
      { name: "Chat", description: "Chat completions." },
      { name: "Files", description: "Uploaded files, kept until they expire or are deleted." },
      { name: "OAuth", description: "Access tokens for OAuth clients (client credentials)." },
      { name: "Meta", description: "Health and this document; no credentials needed." },
    ],
    paths: buildPaths(),
    components: {
      schemas: buildComponentSchemas(),
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          description: "An API key, or an access token from POST /oauth2/token, as a bearer token.",
        },
        clientBasic: {
          type: "http",
          scheme: "basic",
          description: "An OAuth client's id and secret (RFC 6749 §2.3.1), at the token endpoint only.",
        },
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
