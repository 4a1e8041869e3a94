import type { Endpoint, FuzzTarget } from "./endpoints.ts";
import type { FuzzRequest } from "./wire-exchange.ts";

export interface MultipartPart {
  /** the part's header lines, without CRLF */
  headers: (string | Buffer)[];
  content: Buffer;
}

type Body =
  | { kind: "none" }
  | { kind: "json"; value: unknown }
  | { kind: "form"; pairs: [string, string][] }
  | { kind: "multipart"; parts: MultipartPart[]; boundary: string }
  | { kind: "bytes"; bytes: Buffer };

/** A request on its way to the wire; mutations edit it, `toRequest` writes it. */
export interface Draft {
  endpoint: Endpoint;
  method: string;
  /** raw path, as written in the request line */
  path: string;
  /** raw query, "" or starting with "?" */
  query: string;
  headers: [string, string | Buffer][];
  body: Body;
  /** the content type to send; null: none */
  contentType: string | null;
  /** text of the serialized JSON body replaced by bytes (deep nesting, invalid UTF-8, duplicate keys) */
  substitutions: [text: string, bytes: Buffer][];
  transport: FuzzRequest["transport"];
  isTruncated: boolean;
  omitHost: boolean;
  version: string;
  /** the credential was removed or broken: a 2xx on an authenticated route is then a failure */
  isCredentialBroken: boolean;
}

export interface FuzzCase {
  endpoint: string;
  /** the mutation's family: what failures are grouped by */
  family: string;
  /** the mutation's details, for reproducing a failure */
  detail: string;
  request: FuzzRequest;
  /** the answer must not be a 2xx (the request carried no valid credential) */
  mustBeRefused: boolean;
}

export interface Mutation {
  family: string;
  detail: string;
  apply(draft: Draft): void;
}

export const mutation = (family: string, detail: string, apply: (draft: Draft) => void): Mutation => ({
  family,
  detail,
  apply,
});

const MULTIPART_BOUNDARY = "----fuzz0boundary7MA4YWxkTrZu0gW";

export function draftOf(endpoint: Endpoint, target: FuzzTarget): Draft {
  const param = endpoint.param?.(target);
  const path =
    param === undefined ? endpoint.route : endpoint.route.replace(/:\w+/, encodeURIComponent(param));
  const headers: [string, string][] = [];
  if (endpoint.auth === "bearer") headers.push(["Authorization", `Bearer ${target.apiKey}`]);
  let body: Body = { kind: "none" };
  let contentType: string | null = null;
  if (endpoint.body === "json") {
    body = { kind: "json", value: endpoint.validBody?.(target) };
    contentType = "application/json";
  } else if (endpoint.body === "form") {
    body = { kind: "form", pairs: endpoint.validBody?.(target) as [string, string][] };
    contentType = "application/x-www-form-urlencoded";
  } else if (endpoint.body === "multipart") {
    body = {
      kind: "multipart",
      boundary: MULTIPART_BOUNDARY,
      parts: [
        field("purpose", "assistants"),
        field("user", target.endUser),
        filePart("file", "notes.jsonl", "application/jsonl", Buffer.from('{"fuzz":true}\n')),
      ],
    };
    contentType = `multipart/form-data; boundary=${MULTIPART_BOUNDARY}`;
  }
  return {
    endpoint,
    method: endpoint.method,
    path,
    query: endpoint.query ?? "",
    headers,
    body,
    contentType,
    substitutions: [],
    transport: "fetch",
    isTruncated: false,
    omitHost: false,
    version: "HTTP/1.1",
    isCredentialBroken: false,
  };
}

export function field(name: string | Buffer, value: string | Buffer): MultipartPart {
  return {
    headers: [
      Buffer.concat([
        Buffer.from('Content-Disposition: form-data; name="'),
        Buffer.from(name),
        Buffer.from('"'),
      ]),
    ],
    content: Buffer.from(value),
  };
}

export function filePart(
  name: string,
  filename: string | Buffer,
  type: string,
  content: Buffer,
): MultipartPart {
  return {
    headers: [
      Buffer.concat([
        Buffer.from(`Content-Disposition: form-data; name="${name}"; filename="`),
        Buffer.from(filename),
        Buffer.from('"'),
      ]),
      `Content-Type: ${type}`,
    ],
    content,
  };
}

export function multipartBytes(parts: MultipartPart[], boundary: string, eol = "\r\n"): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}${eol}`));
    for (const header of part.headers) chunks.push(Buffer.from(header), Buffer.from(eol));
    chunks.push(Buffer.from(eol), part.content, Buffer.from(eol));
  }
  chunks.push(Buffer.from(`--${boundary}--${eol}`));
  return Buffer.concat(chunks);
}

export function bodyBytes(draft: Draft): Buffer | undefined {
  const { body } = draft;
  switch (body.kind) {
    case "none":
      return undefined;
    case "bytes":
      return body.bytes;
    case "form":
      return Buffer.from(body.pairs.map(([k, v]) => `${formEncode(k)}=${formEncode(v)}`).join("&"));
    case "multipart":
      return multipartBytes(body.parts, body.boundary);
    case "json": {
      let bytes: Buffer = Buffer.from(JSON.stringify(body.value) ?? "");
      for (const [text, replacement] of draft.substitutions)
        bytes = replaceAll(bytes, Buffer.from(text), replacement);
      return bytes;
    }
  }
}

function formEncode(value: string): string {
  return new URLSearchParams([["", value]]).toString().slice(1);
}

function replaceAll(bytes: Buffer, search: Buffer, replacement: Buffer): Buffer {
  const pieces: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(search); at >= 0; at = bytes.indexOf(search, from)) {
    pieces.push(bytes.subarray(from, at), replacement);
    from = at + search.length;
  }
  pieces.push(bytes.subarray(from));
  return Buffer.concat(pieces);
}

export function toRequest(draft: Draft, label: string): FuzzRequest {
  const headers = [...draft.headers];
  const hasType = headers.some(([name]) => name.toLowerCase() === "content-type");
  if (draft.contentType !== null && !hasType) headers.push(["Content-Type", draft.contentType]);
  const body = bodyBytes(draft);
  return {
    label,
    method: draft.method,
    target: `${draft.path}${draft.query}`,
    headers,
    ...(body !== undefined && { body }),
    // fetch sends no body with GET or HEAD, and only standard methods
    transport:
      draft.transport === "fetch" && body !== undefined && ["GET", "HEAD"].includes(draft.method)
        ? "socket"
        : draft.transport,
    isTruncated: draft.isTruncated,
    ...(draft.omitHost && { omitHost: true }),
    ...(draft.version !== "HTTP/1.1" && { version: draft.version }),
  };
}

const MARKER = "\u0001fuzz\u0001";
let markerCount = 0;
/** a string that stands for bytes to be put in place of it (and its quotes) once serialized */
export function substitute(draft: Draft, bytes: Buffer, asKey = false): string {
  const marker = `${MARKER}${markerCount++}`;
  draft.substitutions.push([`${JSON.stringify(marker)}${asKey ? ":" : ""}`, bytes]);
  return marker;
}
