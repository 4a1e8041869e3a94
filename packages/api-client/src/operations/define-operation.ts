import type { Scope } from "@dsc/vocabulary";
import type { z } from "zod";

/*
 * One public operation, defined once: the gateway registers its route from it, the OpenAPI
 * document is generated from it and the typed client calls it. Schemas are the contract's
 * zod schemas; anything the document shows (parameters, bodies, responses) comes from them.
 */

/** What a credential needs to call an operation; "public" ones need none. */
export type OperationScope = Scope | "public";

export type HttpMethod = "GET" | "POST" | "DELETE";

/** How a request body is encoded; the gateway parses JSON itself, the others in their own scopes. */
export type BodyKind = "json" | "multipart" | "form-urlencoded";

export interface OperationBody {
  kind: BodyKind;
  /** the body's fields (for multipart, the form's fields and file) */
  schema: z.ZodType;
  /** further encodings the same fields are accepted in (the token endpoint also takes JSON) */
  alsoAccepts?: readonly BodyKind[];
}

/** A stream of server-sent events; each event's `data` is JSON of one of `events`, or `[DONE]`. */
export interface EventStreamContent {
  events: readonly z.ZodType[];
  description: string;
  example: string;
}

/**
 * One answer of an operation. Its body is JSON of `json`, an event stream, raw bytes of any type
 * (`binary`) or text (`text`); an answer may offer JSON and an event stream (chat's `stream`).
 */
export interface OperationResponse {
  description: string;
  json?: z.ZodType;
  eventStream?: EventStreamContent;
  /** the media type the bytes are documented as (their own type is sent) */
  binary?: string;
  /** a text format's media type, e.g. `text/plain` */
  text?: string;
}

export interface ResponseHeader {
  description: string;
  schema: { type: "string" | "integer" };
}

/**
 * A refusal of the operation. `codes` are the error codes (`error.code`, or OAuth's `error`) the
 * body may carry that belong to this operation, beyond the ones every operation shares.
 */
export interface OperationError {
  /** required for OAuth's errors, which are not the API's shared error responses */
  description?: string;
  codes?: readonly string[];
  headers?: Readonly<Record<string, ResponseHeader>>;
}

/** The error statuses the API's shared error responses describe. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 429 | 500 | 502 | 503 | 504;

export interface OperationDefinition {
  /** camelCase, the OpenAPI operationId and the typed client's method name */
  id: string;
  method: HttpMethod;
  /** OpenAPI's form, `/v1/models/{model}` */
  path: string;
  scope: OperationScope;
  summary: string;
  description?: string;
  tags: readonly string[];
  /** path parameters, one field per `{name}` of the path */
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: OperationBody;
  /** the answers that are not errors, by status */
  responses: Readonly<Record<number, OperationResponse>>;
  /** refusals by status; their body is `errorShape`'s */
  errors: Readonly<Partial<Record<ErrorStatus, OperationError>>>;
  /** "api": OpenAI's error object (the shared responses); "oauth": RFC 6749's */
  errorShape?: "api" | "oauth";
  /** the token endpoint: the client may authenticate with HTTP Basic, or in the body */
  acceptsClientBasic?: boolean;
}

/** Keeps the literal types of a definition, so that routes and the client are typed from it. */
export function defineOperation<const T extends OperationDefinition>(operation: T): T {
  const names = [...operation.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
  const declared = Object.keys(operation.params?.shape ?? {});
  if (names.join() !== declared.join()) {
    throw new Error(`${operation.id}: path parameters ${names.join()} but params ${declared.join()}`);
  }
  return operation;
}

type JsonOutput<R> = R extends { json: infer S extends z.ZodType } ? z.output<S> : never;

/** The path parameters an operation takes, as its schema outputs them. */
export type OperationParams<T extends OperationDefinition> = T["params"] extends z.ZodObject
  ? z.output<T["params"]>
  : Record<string, never>;

export type OperationQuery<T extends OperationDefinition> = T["query"] extends z.ZodObject
  ? z.output<T["query"]>
  : Record<string, never>;

/** The body as the contract validated it. */
export type OperationBodyOf<T extends OperationDefinition> = T["body"] extends OperationBody
  ? z.output<T["body"]["schema"]>
  : undefined;

/** The JSON bodies of the operation's successful answers. */
export type OperationResult<T extends OperationDefinition> = {
  [S in keyof T["responses"]]: JsonOutput<T["responses"][S]>;
}[keyof T["responses"]];
