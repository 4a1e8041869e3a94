import type { Readable } from "node:stream";
import {
  ErrorResponseSchema,
  OAuthErrorResponseSchema,
  type OperationDefinition,
  type OperationResponse,
} from "@dsc/api-client";
import type { FastifyInstance } from "fastify";
import type { z } from "zod";
import { errorBody } from "../errors/openai-error.ts";

/*
 * For tests: every answer of an operation's route is checked against the operation, its status
 * declared and its JSON body valid under the schema of that status. An answer outside the
 * contract is replaced by a 500 that says why (and logged), so the test that caused it fails
 * on its status or body, and the contract or the route gets fixed.
 */

/** Why an answer is outside its operation's contract, or null when it is inside. */
export function contractProblem(
  operation: OperationDefinition,
  status: number,
  contentType: string,
  payload: unknown,
): string | null {
  const response: OperationResponse | undefined = operation.responses[status];
  const isError = Object.hasOwn(operation.errors, status);
  if (!response && !isError) return `status ${status} is not declared`;
  const isJson = /^application\/json\b/i.test(contentType);
  if (response && !response.json) {
    if (isJson) return `a JSON body where the contract has ${describe(response)}`;
    return null; // an event stream, bytes or text: their bodies are not JSON to check
  }
  if (response?.json && response.eventStream && /^text\/event-stream\b/i.test(contentType)) return null;
  if (!isJson) return `content type '${contentType}' where the contract has JSON`;
  if (typeof payload !== "string" && !Buffer.isBuffer(payload)) {
    // a streamed JSON body (the user export) is not held in memory to be checked
    return isStream(payload) ? null : "no JSON body";
  }
  const schema: z.ZodType =
    response?.json ?? (operation.errorShape === "oauth" ? OAuthErrorResponseSchema : ErrorResponseSchema);
  let value: unknown;
  try {
    value = JSON.parse(String(payload));
  } catch {
    return "a body that is not JSON";
  }
  const result = schema.safeParse(value);
  if (result.success) return null;
  const issues = result.error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`);
  return `the body fails the schema of ${status}: ${issues.join("; ")}`;
}

function describe(response: OperationResponse): string {
  if (response.eventStream) return "an event stream";
  if (response.binary) return "bytes";
  return response.text ?? "no body";
}

function isStream(payload: unknown): payload is Readable {
  return typeof (payload as Readable | null)?.pipe === "function";
}

/** The onSend check, for every route that serves an operation. */
export function registerResponseContractCheck(app: FastifyInstance) {
  app.addHook("onSend", async (request, reply, payload) => {
    // every public route is registered by serveOperation, which puts its operation in the config
    // (Fastify copies it to the HEAD route it adds beside a GET)
    const operation = request.routeOptions.config.operation;
    if (!operation) return payload;
    const contentType = String(reply.getHeader("content-type") ?? "");
    const problem = contractProblem(operation, reply.statusCode, contentType, payload);
    if (!problem) return payload;
    const message = `${request.method} ${operation.path} (${operation.id}) answered ${reply.statusCode} outside its contract: ${problem}.`;
    request.log.error(
      { operation: operation.id, status: reply.statusCode, problem },
      "answer outside the contract",
    );
    if (isStream(payload)) (payload as Readable).destroy();
    reply.removeHeader("content-length");
    reply.code(500).type("application/json; charset=utf-8");
    return JSON.stringify(errorBody(message, "api_error", "contract_violation"));
  });
}
