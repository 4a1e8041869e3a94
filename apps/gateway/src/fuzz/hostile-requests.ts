import fc from "fast-check";
import {
  type Draft,
  draftOf,
  type FuzzCase,
  type MultipartPart,
  type Mutation,
  mutation,
  substitute,
  toRequest,
} from "./drafts.ts";
import { type chatBody, ENDPOINTS, type Endpoint, type FuzzTarget } from "./endpoints.ts";
import { basicAuthMutations } from "./mutations/basic-auth.ts";
import { formMutations } from "./mutations/form.ts";
import { headerMutations } from "./mutations/headers.ts";
import { jsonMutations } from "./mutations/json.ts";
import { methodMutations } from "./mutations/method.ts";
import { multipartMutations, type Parts } from "./mutations/multipart.ts";
import { paramMutations, urlMutations, withParam } from "./mutations/url.ts";

/*
 * Hostile requests for every public endpoint: a valid request, then one mutation of it (a
 * field of the wrong type, missing or extra; a huge, deep or strange value; bytes that are not
 * UTF-8; duplicate keys; a broken multipart form; odd headers, framing, methods and URLs).
 * Each mutation has a family name, which is what failures are grouped by.
 */

export type { FuzzCase } from "./drafts.ts";
export { ENDPOINTS, type Endpoint, type FuzzTarget } from "./endpoints.ts";

const unchanged = fc.constant(mutation("valid request", "unchanged", () => {}));

/**
 * The mutations that apply to an endpoint's requests, in groups weighted so that requests with
 * a body spend about half their cases on it; within a group each mutation is equally likely.
 */
function mutationsFor(endpoint: Endpoint): fc.WeightedArbitrary<Mutation>[] {
  const body =
    endpoint.body === "json"
      ? jsonMutations
      : endpoint.body === "form"
        ? [...formMutations, ...basicAuthMutations]
        : endpoint.body === "multipart"
          ? multipartMutations
          : [];
  const url = [...(endpoint.param ? paramMutations : []), ...urlMutations];
  const groups: [weight: number, members: fc.Arbitrary<Mutation>[]][] = [
    [1, [unchanged]],
    [10, body],
    [endpoint.param ? 4 : 2, url],
    [1, methodMutations],
    [4, headerMutations],
    [endpoint.auth === "client" ? 2 : 0, basicAuthMutations],
  ];
  return groups
    .filter(([weight, members]) => weight > 0 && members.length > 0)
    .map(([weight, members]) => ({ weight, arbitrary: fc.oneof(...members) }));
}

/** Hostile requests to one endpoint, each a valid request with one mutation. */
export function casesFor(endpoint: Endpoint, target: FuzzTarget): fc.Arbitrary<FuzzCase> {
  return fc.oneof(...mutationsFor(endpoint)).map((chosen) => {
    const draft = draftOf(endpoint, target);
    chosen.apply(draft);
    const label = `${endpoint.name}: ${chosen.family} (${chosen.detail})`;
    return {
      endpoint: endpoint.name,
      family: chosen.family,
      detail: chosen.detail,
      request: toRequest(draft, label),
      mustBeRefused: draft.isCredentialBroken && endpoint.auth === "bearer",
    };
  });
}

// ---------------------------------------------------------------- pinned cases

/**
 * The classes an earlier fuzz run (2,847 cases) found, one request each, so that every run
 * sends them whatever the seed draws: NUL in ids and cursors, bad percent-encoding and long
 * parameters, a file part without a name, special tokens in prompts, a lone-surrogate `user`,
 * deep nesting, an empty body with a JSON content type; two that the first bench run found
 * (CONNECT, an unknown Expect), which Node answers before the gateway sees them; and a body
 * on a DELETE, without a Content-Type or over the limit, refused with a 415 or a 413 the
 * contract did not declare.
 */
export function pinnedCases(target: FuzzTarget): FuzzCase[] {
  const make = (endpointName: string, family: string, detail: string, apply: (draft: Draft) => void) => {
    const endpoint = ENDPOINTS.find((candidate) => candidate.name === endpointName);
    if (!endpoint) throw new Error(`no endpoint ${endpointName}`);
    const draft = draftOf(endpoint, target);
    apply(draft);
    const label = `${endpoint.name}: ${family} (${detail})`;
    return {
      endpoint: endpoint.name,
      family,
      detail,
      request: toRequest(draft, label),
      mustBeRefused: false,
    };
  };
  const chat = (draft: Draft) => (draft.body as { value: ReturnType<typeof chatBody> }).value;
  const firstMessage = (draft: Draft) => chat(draft).messages[0] as Record<string, unknown>;
  const nested = (depth: number) => Buffer.from(`${"[".repeat(depth)}${"]".repeat(depth)}`);
  const cases: FuzzCase[] = [];
  for (const name of ["GET /v1/files/{id}", "GET /v1/files/{id}/content", "DELETE /v1/files/{id}"]) {
    cases.push(
      make(name, "URL: NUL in a path parameter", "id%00", (d) => {
        d.path = withParam(d, `${target.fileId}%00`);
      }),
    );
  }
  cases.push(
    make("GET /v1/deletion_requests/{id}", "URL: NUL in a path parameter", "id%00", (d) => {
      d.path = withParam(d, `${target.deletionRequestId}%00`);
    }),
    make("DELETE /v1/users/{user}", "URL: NUL in a path parameter", "user%00x", (d) => {
      d.path = withParam(d, "user%00x");
    }),
    make("GET /v1/users/{user}/export", "URL: NUL in a path parameter", "%00", (d) => {
      d.path = withParam(d, "%00");
    }),
    make("GET /v1/files", "URL: NUL in the cursor", "?after=file-%00", (d) => {
      d.query = "?after=file-%00";
    }),
    make("GET /v1/models/{model}", "URL: odd percent-encoding in a path parameter", "%zz", (d) => {
      d.path = withParam(d, "%zz");
      d.transport = "socket";
    }),
    make("GET /v1/files/{id}", "URL: long path parameter", "8,000 characters", (d) => {
      d.path = withParam(d, "f".repeat(8_000));
      d.transport = "socket";
    }),
    make("POST /v1/files", "multipart: file part without a name", "filename only", (d) => {
      const file = (d.body as Parts).parts.at(-1) as MultipartPart;
      file.headers[0] = 'Content-Disposition: form-data; filename="notes.jsonl"';
    }),
    make(
      "POST /v1/chat/completions",
      "JSON: special-token text",
      "<|endoftext|> as the system prompt",
      (d) => {
        firstMessage(d).content = "<|endoftext|>";
      },
    ),
    make(
      "POST /v1/chat/completions (stream)",
      "JSON: special-token text",
      "DeepSeek's tokens in the prompt",
      (d) => {
        firstMessage(d).content = "<｜begin▁of▁sentence｜><｜User｜>hi<｜Assistant｜><|endoftext|>";
      },
    ),
    make("POST /v1/chat/completions", "JSON: odd unicode string", "lone surrogate as user", (d) => {
      chat(d).user = "\uD800";
    }),
    make("POST /v1/chat/completions (stream)", "JSON: odd unicode string", "lone surrogate as user", (d) => {
      chat(d).user = "a\uDFFFb";
    }),
    make("POST /v1/chat/completions", "JSON: deep nesting", "10,000 levels of [ as the body", (d) => {
      d.body = { kind: "bytes", bytes: nested(10_000) };
    }),
    make(
      "POST /v1/chat/completions",
      "JSON: deep nesting",
      "10,000 levels of [ in a message's extra field",
      (d) => {
        firstMessage(d).metadata = substitute(d, nested(10_000));
      },
    ),
    make(
      "POST /v1/chat/completions (stream)",
      "JSON: deep nesting",
      "10,000 levels of [ in a message's extra field",
      (d) => {
        firstMessage(d).metadata = substitute(d, nested(10_000));
      },
    ),
    make(
      "POST /v1/chat/completions",
      "JSON: deep nesting",
      "10,000 levels of [ in a tool's parameters",
      (d) => {
        const deep = substitute(d, nested(10_000));
        Object.assign(chat(d), {
          tools: [{ type: "function", function: { name: "f", parameters: { deep } } }],
        });
      },
    ),
    make("POST /v1/chat/completions", "JSON: not an object", "empty body with a JSON content type", (d) => {
      d.body = { kind: "bytes", bytes: Buffer.alloc(0) };
    }),
    make("GET /v1/models", "HTTP: odd method", "CONNECT", (d) => {
      d.method = "CONNECT";
      d.transport = "socket";
    }),
    make("GET /v1/models", "headers: odd header", "unknown Expect", (d) => {
      d.headers.push(["Expect", "something-else"]);
      d.transport = "socket";
    }),
    make("POST /oauth2/token (form)", "form: odd encoding", "client_id=%zz", (d) => {
      d.body = {
        kind: "bytes",
        bytes: Buffer.from("grant_type=client_credentials&client_id=%zz&client_secret=x"),
      };
    }),
  );
  for (const name of ["DELETE /v1/files/{id}", "DELETE /v1/users/{user}"]) {
    cases.push(
      make(name, "framing: chunked body", "no Content-Type", (d) => {
        d.headers.push(["Transfer-Encoding", "chunked"]);
        d.body = { kind: "bytes", bytes: Buffer.from("2\r\n{}\r\n0\r\n\r\n") };
        d.transport = "socket-as-is";
      }),
      make(name, "framing: body over the limit", "Content-Length of 10 MiB + 1", (d) => {
        d.headers.push(
          ["Content-Type", "application/json"],
          ["Content-Length", String(10 * 1024 * 1024 + 1)],
        );
        d.body = { kind: "bytes", bytes: Buffer.from("{}") };
        d.transport = "socket-as-is";
        d.isTruncated = true;
      }),
    );
  }
  return cases;
}
