import type { Answer, FuzzRequest } from "./wire-exchange.ts";

/**
 * What the gateway may answer to anything: a 2xx, or a 4xx in the public error shape, with
 * `x-request-id`; never a 5xx, never a stack trace or a path of ours. Returns the rules an
 * answer breaks, each a short class name (the report groups failures by it).
 */
export function brokenRules(request: FuzzRequest, answer: Answer): string[] {
  if (answer.status === null) {
    return request.isTruncated ? [] : [`no answer (${answer.failure ?? "connection closed"})`];
  }
  const broken: string[] = [];
  const { status } = answer;
  if (status >= 500) broken.push(`${status} answer`);
  else if (status < 200 || (status >= 300 && status < 400)) broken.push(`unexpected ${status} answer`);
  if (!answer.headers["x-request-id"]) broken.push("no x-request-id");

  const text = answer.body.toString("utf8");
  if (status >= 400) {
    const leak = leakIn(text);
    if (leak) broken.push(`internals in the error body (${leak})`);
    if (request.method !== "HEAD") {
      const shape = errorShapeProblem(text, answer.headers["content-type"], isOAuthPath(request.target));
      if (shape) broken.push(`error body not in the error shape (${shape})`);
    }
  } else if (status < 300) {
    broken.push(...successProblems(request, answer, text));
  }
  return broken;
}

/**
 * /oauth2/* and /.well-known/* answer RFC 6749's error shape; their unknown URLs OpenAI's. The
 * router decodes the path first, so "/%6fauth2/token" is the token endpoint too.
 */
function isOAuthPath(target: string): boolean {
  let path = target;
  try {
    path = decodeURIComponent(target);
  } catch {
    // bad percent-encoding: the router refuses it before any route, in OpenAI's shape
  }
  // an absolute-form target ("http://host/oauth2/token") is routed by its path
  return /^(?:[a-z][a-z0-9+.-]*:\/\/[^/]*)?\/(?:oauth2|\.well-known)\//i.test(path);
}

const LEAKS: [name: string, pattern: RegExp][] = [
  // a V8 frame ends in its location: "at fn (file:1:2)", "at async x (<anonymous>)"; prose such
  // as "at most 255 bytes long (UTF-8)" does not
  [
    "stack frame",
    /\bat (?:async )?(?:new )?[\w$.<>[\]]{1,200}(?: \[as [\w$]{1,100}\])? \((?:[^()\s]{1,500}:\d{1,7}:\d{1,7}|<anonymous>|native|index \d{1,4})\)/,
  ],
  ["stack frame", /\n[ \t]+at \S/],
  ["source path", /\/[\w@.+-]+\.[cm]?[jt]sx?:\d+/],
  ["node internals", /node:internal|node_modules\//],
  ["runtime error", /\b(?:TypeError|RangeError|ReferenceError): |Maximum call stack/],
  [
    "database error",
    /\bprisma\b|invocation:|\bP\d{4}\b[^\n]{0,60}(?:constraint|column|table)|violates [\w -]{0,30}constraint/i,
  ],
];

function leakIn(text: string): string | null {
  for (const [name, pattern] of LEAKS) if (pattern.test(text)) return name;
  return null;
}

function errorShapeProblem(
  text: string,
  contentType: string | undefined,
  mayBeOAuth: boolean,
): string | null {
  if (!/^application\/json\b/i.test(contentType ?? "")) return `content-type ${contentType ?? "missing"}`;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return "not JSON";
  }
  if (isOpenAiError(body)) return null;
  if (mayBeOAuth && isOAuthError(body)) return null;
  return `got ${JSON.stringify(body).slice(0, 80)}`;
}

function isOpenAiError(body: unknown): boolean {
  const error = (body as { error?: unknown } | null)?.error as Record<string, unknown> | undefined;
  return (
    typeof error === "object" &&
    error !== null &&
    typeof error.message === "string" &&
    typeof error.type === "string" &&
    "param" in error &&
    (error.param === null || typeof error.param === "string") &&
    "code" in error &&
    (error.code === null || typeof error.code === "string")
  );
}

function isOAuthError(body: unknown): boolean {
  const { error, error_description } = (body ?? {}) as Record<string, unknown>;
  return typeof error === "string" && /^[a-z_]+$/.test(error) && typeof error_description === "string";
}

/** A 2xx must be whole: JSON that parses, a stream that ends with [DONE] and no error event. */
function successProblems(request: FuzzRequest, answer: Answer, text: string): string[] {
  if (request.method === "HEAD") return [];
  const contentType = answer.headers["content-type"] ?? "";
  if (/^text\/event-stream/i.test(contentType)) {
    const events = text
      .split("\n\n")
      .map((event) => event.trim())
      .filter((event) => event.startsWith("data: "));
    const problems: string[] = [];
    if (events.some((event) => event.startsWith('data: {"error"')))
      problems.push("error event in a 2xx stream");
    if (events.at(-1) !== "data: [DONE]") problems.push("2xx stream without [DONE]");
    return problems;
  }
  if (/^application\/json/i.test(contentType)) {
    try {
      JSON.parse(text);
    } catch {
      return ["2xx JSON body that does not parse"];
    }
  }
  return [];
}
