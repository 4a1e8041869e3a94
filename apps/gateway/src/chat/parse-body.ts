import { DomainError } from "@dsc/core";
import type { z } from "zod";

/**
 * Validates a request body with its contract schema. The first problem becomes a 400 whose
 * `param` names the field the way OpenAI does (`messages[0].content`).
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
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
