import { DomainError } from "@dsc/core";
import type { z } from "zod";

/*
 * The inputs of a route checked against its operation's schemas. Each refusal is the API's 400
 * naming the offending field the way OpenAI does, so clients see one shape whatever the route.
 */

/** Path parameters or query: the first problem is `Invalid value for 'name'`. */
export function parseFields<T extends z.ZodObject>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = String(issue?.path[0] ?? "");
  throw new DomainError(
    "invalid",
    `Invalid value for '${param}': ${issue?.message}.`,
    param,
    "invalid_value",
  );
}

/** A JSON body; the first problem's `param` is its path (`messages[0].content`). */
export function parseJsonBody<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  if (body === undefined) {
    // no body, or an empty one (plugins/request-bodies.ts): the same answer as unparseable JSON
    throw new DomainError("invalid", "The request body is empty: send a JSON object.", null, "invalid_json");
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    throw new DomainError("invalid", "The request body must be a JSON object.", null);
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const param = issue ? formatPath(issue.path) : null;
  const missing = issue !== undefined && valueAt(body, issue.path) === undefined;
  const message = missing
    ? `Missing required parameter: '${param}'.`
    : `Invalid value for '${param}': ${issue?.message ?? "invalid"}.`;
  throw new DomainError("invalid", message, param, missing ? "missing_required_parameter" : "invalid_value");
}

function valueAt(value: unknown, path: PropertyKey[]): unknown {
  let current = value;
  for (const part of path) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((part, i) => (typeof part === "number" ? `[${part}]` : `${i === 0 ? "" : "."}${String(part)}`))
    .join("");
}
