import type {
  OperationBodyOf,
  OperationDefinition,
  OperationParams,
  OperationQuery,
  OperationResult,
} from "@dsc/api-client";
import type {
  FastifyContextConfig,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
} from "fastify";
import { parseFields, parseJsonBody } from "./parse-request.ts";

declare module "fastify" {
  interface FastifyContextConfig {
    /** the public operation the route serves (serveOperation sets it with the scope) */
    operation?: OperationDefinition;
  }
}

/**
 * What a route's handler gets: the path parameters and query checked against the operation,
 * and a JSON body checked against it too. Other bodies (multipart, the OAuth form) are parsed
 * by the route itself, in the scope that reads them, and arrive as Fastify left them.
 */
export interface OperationInput<T extends OperationDefinition> {
  request: FastifyRequest;
  reply: FastifyReply;
  params: OperationParams<T>;
  query: OperationQuery<T>;
  body: T["body"] extends { kind: "json" } ? OperationBodyOf<T> : unknown;
}

/** A JSON answer of the operation, or the reply when the route sent it itself (a stream). */
export type OperationHandler<T extends OperationDefinition> = (
  input: OperationInput<T>,
) => Promise<OperationResult<T> | FastifyReply | undefined>;

export interface ServeOptions {
  /** more of the route's config (the scope and operation come from the operation) */
  config?: Omit<FastifyContextConfig, "scope" | "operation">;
  onRequest?: onRequestHookHandler;
}

/** `/v1/files/{file_id}` as Fastify's router writes it: `/v1/files/:file_id`. */
export const routeUrlOf = (operation: OperationDefinition) => operation.path.replace(/\{(\w+)\}/g, ":$1");

/**
 * Registers the route of a public operation: its method, path and scope from the definition,
 * its inputs validated with the definition's schemas, its answer typed by the definition's.
 * Validation runs in the handler, after authentication and rate limits, as it always has.
 *
 * Called in two steps, `serveOperation(app, operation)(handler)`, so that the operation's type
 * is fixed before the handler is checked: in one call TypeScript would widen the handler's
 * literals (`object: "list"` to string) and refuse answers that are right.
 */
export function serveOperation<T extends OperationDefinition>(
  app: FastifyInstance,
  operation: T,
  options: ServeOptions = {},
): (handler: OperationHandler<T>) => void {
  return (handler) => {
    app.route({
      method: operation.method,
      url: routeUrlOf(operation),
      config: { ...options.config, scope: operation.scope, operation },
      ...(options.onRequest ? { onRequest: options.onRequest } : {}),
      handler: async (request, reply) => {
        const params = operation.params ? parseFields(operation.params, request.params) : {};
        const query = operation.query ? parseFields(operation.query, request.query) : {};
        const body =
          operation.body?.kind === "json" ? parseJsonBody(operation.body.schema, request.body) : request.body;
        return handler({ request, reply, params, query, body } as OperationInput<T>);
      },
    });
  };
}
