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
  FileListSchema,
  FileObjectSchema,
  FilePurposeSchema,
} from "./files.ts";
import { DeploymentHealthReportSchema, LivenessSchema, ReadinessSchema } from "./health.ts";
import { ModelListSchema, ModelSchema } from "./models.ts";
import {
  AuthorizationServerMetadataSchema,
  JwksSchema,
  OAuthErrorResponseSchema,
  PublicJwkSchema,
  TokenRequestSchema,
  TokenResponseSchema,
} from "./oauth.ts";
import { OpenApiDocumentSchema } from "./openapi-document.ts";
import {
  type BodyKind,
  type ErrorStatus,
  type HttpMethod,
  OPERATIONS,
  type OperationBody,
  type OperationDefinition,
  type OperationError,
  type OperationResponse,
  type OperationScope,
} from "./operations/index.ts";
import { API_VERSIONS, ApiVersionListSchema, CURRENT_API_VERSION } from "./versions.ts";

/*
 * The OpenAPI document of the public API, generated from the operations (src/operations/) and
 * the zod contract so the three cannot drift. Every schema below is a component; zod writes a
 * `$ref` wherever one contains another, and an operation's schemas are referenced by value.
 */

export type JsonSchema = { [key: string]: unknown };

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
  /** the error codes of this operation's own refusals, by status, beyond the shared ones */
  "x-error-codes"?: Record<string, string[]>;
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
  DeploymentHealthReport: {
    schema: DeploymentHealthReportSchema,
    description: "This gateway's circuit breaker of each model deployment.",
  },
  OpenApiDocument: { schema: OpenApiDocumentSchema, description: "An OpenAPI 3.1 document." },
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

const ERROR_RESPONSES: Record<ErrorStatus, { name: string; description: string }> = {
  400: {
    name: "BadRequest",
    description: "The request is malformed, fails validation or names an unknown `x-api-version`.",
  },
  401: { name: "Unauthorized", description: "The API key is missing, unknown, expired or revoked." },
  403: { name: "Forbidden", description: "The API key lacks the scope this operation needs." },
  404: { name: "NotFound", description: "The model, file or URL does not exist." },
  409: {
    name: "Conflict",
    description: "The resource cannot change in its current state, e.g. it is under a legal hold.",
  },
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
};

const REQUEST_ID_HEADER = { "x-request-id": { $ref: "#/components/headers/RequestId" } };
const VERSIONED_HEADERS = {
  ...REQUEST_ID_HEADER,
  "x-api-version": { $ref: "#/components/headers/ApiVersion" },
};
const API_VERSION_PARAMETER = { $ref: "#/components/parameters/ApiVersion" };

const MEDIA_TYPES: Record<BodyKind, string> = {
  json: "application/json",
  multipart: "multipart/form-data",
  "form-urlencoded": "application/x-www-form-urlencoded",
};

/** The component id of every schema in the tables above, so operations can name theirs by value. */
const COMPONENT_IDS = new Map<z.ZodType, string>(
  [...Object.entries(REQUEST_COMPONENTS), ...Object.entries(RESPONSE_COMPONENTS)].map(([id, { schema }]) => [
    schema,
    id,
  ]),
);

function componentRef(schema: z.ZodType, operation: OperationDefinition) {
  const id = COMPONENT_IDS.get(schema);
  if (!id) throw new Error(`${operation.id}: a request or response schema that is not a component`);
  return { $ref: schemaRef(id) };
}

const json = (id: string) => ({ "application/json": { schema: { $ref: schemaRef(id) } } });

/** Path or query parameters from a zod object, so the document and the gateway's validation agree. */
function parametersOf(schema: z.ZodObject | undefined, where: "path" | "query"): JsonSchema[] {
  return Object.entries(schema?.shape ?? {}).map(([name, field]) => {
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
      in: where,
      required: where === "path" || !type.safeParse(undefined).success,
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function requestBodyOf(operation: OperationDefinition, body: OperationBody): JsonSchema {
  const schema = componentRef(body.schema, operation);
  const kinds = [body.kind, ...(body.alsoAccepts ?? [])];
  return {
    required: true,
    content: Object.fromEntries(kinds.map((kind) => [MEDIA_TYPES[kind], { schema }])),
  };
}

function contentOf(operation: OperationDefinition, response: OperationResponse): JsonSchema {
  const content: JsonSchema = {};
  if (response.json) content["application/json"] = { schema: componentRef(response.json, operation) };
  if (response.eventStream) {
    const { events, description, example } = response.eventStream;
    content["text/event-stream"] = {
      schema: { type: "string", description },
      "x-event-schema": { oneOf: events.map((event) => componentRef(event, operation)) },
      example,
    };
  }
  if (response.binary) content[response.binary] = { schema: { type: "string", format: "binary" } };
  if (response.text) content[response.text] = { schema: { type: "string" } };
  return content;
}

function errorResponseOf(
  operation: OperationDefinition,
  status: ErrorStatus,
  error: OperationError,
): JsonSchema {
  if (operation.errorShape !== "oauth")
    return { $ref: `#/components/responses/${ERROR_RESPONSES[status].name}` };
  if (!error.description) throw new Error(`${operation.id}: OAuth error ${status} needs a description`);
  const headers = Object.fromEntries(
    Object.entries(error.headers ?? {}).map(([name, { schema, description }]) => [
      name,
      { schema, description },
    ]),
  );
  return {
    description: error.description,
    headers: { ...REQUEST_ID_HEADER, ...headers },
    content: json("OAuthErrorResponse"),
  };
}

/** The operation as OpenAPI writes it; /v1 operations with credentials also negotiate versions. */
function toOpenApiOperation(operation: OperationDefinition): OpenApiOperation {
  const hasCredentials = operation.scope !== "public";
  const headers = hasCredentials ? VERSIONED_HEADERS : REQUEST_ID_HEADER;
  const parameters = [
    ...parametersOf(operation.params, "path"),
    ...parametersOf(operation.query, "query"),
    ...(hasCredentials ? [API_VERSION_PARAMETER] : []),
  ];
  const responses: Record<string, JsonSchema> = {};
  for (const [status, response] of Object.entries(operation.responses)) {
    responses[status] = {
      description: response.description,
      headers,
      content: contentOf(operation, response),
    };
  }
  const errorCodes: Record<string, string[]> = {};
  for (const [status, error] of Object.entries(operation.errors) as [string, OperationError][]) {
    responses[status] = errorResponseOf(operation, Number(status) as ErrorStatus, error);
    if (error.codes?.length) errorCodes[status] = [...error.codes];
  }
  return {
    operationId: operation.id,
    summary: operation.summary,
    ...(operation.description ? { description: operation.description } : {}),
    tags: [...operation.tags],
    "x-scope": operation.scope,
    security: operation.acceptsClientBasic
      ? [{ clientBasic: [] }, {}]
      : hasCredentials
        ? [{ bearer: [] }]
        : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(operation.body ? { requestBody: requestBodyOf(operation, operation.body) } : {}),
    responses,
    ...(Object.keys(errorCodes).length > 0 ? { "x-error-codes": errorCodes } : {}),
  };
}

function buildPaths(): OpenApiDocument["paths"] {
  const paths: OpenApiDocument["paths"] = {};
  for (const operation of OPERATIONS) {
    const item = paths[operation.path] ?? {};
    paths[operation.path] = item;
    const method = operation.method.toLowerCase() as Lowercase<HttpMethod>;
    if (item[method]) throw new Error(`two operations for ${operation.method} ${operation.path}`);
    item[method] = toOpenApiOperation(operation);
  }
  return paths;
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
      { name: "Compliance", description: "An end user's data: erasure and export (GDPR/CCPA)." },
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
