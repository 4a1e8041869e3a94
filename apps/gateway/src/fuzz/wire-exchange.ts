import net from "node:net";

/**
 * One hostile request as it goes on the wire. Requests that a well-behaved client could send
 * go through fetch; the rest (invalid UTF-8 in the request line or headers, duplicate or
 * contradictory framing headers, truncated bodies, unknown methods) are written byte for byte
 * to a socket, since fetch would refuse or repair them.
 */
export interface FuzzRequest {
  /** what was done to a valid request, e.g. "chat: lone surrogate in messages[0].content" */
  label: string;
  method: string;
  /** the request-target exactly as written: path and query, percent-encoded or not */
  target: string;
  headers: [name: string, value: string | Buffer][];
  body?: Buffer;
  /**
   * "fetch": a valid HTTP message; "socket": raw bytes, with Content-Length added unless a
   * header already frames the body; "socket-as-is": raw bytes, no framing header added.
   */
  transport: "fetch" | "socket" | "socket-as-is";
  /**
   * The request is incomplete on purpose (its body shorter than announced): the server may
   * wait for the rest, so after a short wait the client closes its side, and then no answer
   * at all is acceptable.
   */
  isTruncated?: boolean;
  /** write no Host header (one is added otherwise, unless the request has its own) */
  omitHost?: boolean;
  /** the request line's protocol version (default HTTP/1.1) */
  version?: string;
}

export interface Answer {
  /** null when the connection ended without a complete response */
  status: number | null;
  /** lower-cased names; repeated headers joined with ", " */
  headers: Record<string, string>;
  body: Buffer;
  /** why there is no answer, when there is none */
  failure?: string;
  elapsedMs: number;
}

const ANSWER_TIMEOUT_MS = 20_000;
/** how long a truncated request waits for an answer before the client closes its side */
const TRUNCATED_GRACE_MS = 300;

export async function exchange(origin: URL, request: FuzzRequest): Promise<Answer> {
  return request.transport === "fetch" ? viaFetch(origin, request) : viaSocket(origin, request);
}

async function viaFetch(origin: URL, request: FuzzRequest): Promise<Answer> {
  const started = performance.now();
  const headers = new Headers();
  for (const [name, value] of request.headers) headers.append(name, String(value));
  try {
    const response = await fetch(new URL(request.target, origin), {
      method: request.method,
      headers,
      body: request.body,
      redirect: "manual",
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
    });
    const body = Buffer.from(await response.arrayBuffer());
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body,
      elapsedMs: performance.now() - started,
    };
  } catch (error) {
    return {
      status: null,
      headers: {},
      body: Buffer.alloc(0),
      failure: `fetch failed: ${describe(error)}`,
      elapsedMs: performance.now() - started,
    };
  }
}

/** The request's bytes: request line, headers (Host and Connection added when absent), body. */
export function wireBytes(origin: URL, request: FuzzRequest): Buffer {
  const names = new Set(request.headers.map(([name]) => name.toLowerCase()));
  const headers: [string, string | Buffer][] = [];
  if (!names.has("host") && !request.omitHost) headers.push(["Host", origin.host]);
  headers.push(...request.headers);
  if (!names.has("connection")) headers.push(["Connection", "close"]);
  const body = request.body ?? Buffer.alloc(0);
  const isFramed = names.has("content-length") || names.has("transfer-encoding");
  if (request.transport === "socket" && !isFramed && (body.length > 0 || request.method !== "GET")) {
    headers.push(["Content-Length", String(body.length)]);
  }
  const head: Buffer[] = [Buffer.from(`${request.method} `, "latin1"), Buffer.from(request.target, "utf8")];
  head.push(
    Buffer.from(`${request.version === "" ? "" : " "}${request.version ?? "HTTP/1.1"}\r\n`, "latin1"),
  );
  for (const [name, value] of headers) {
    head.push(Buffer.from(`${name}: `, "latin1"), typeof value === "string" ? Buffer.from(value) : value);
    head.push(Buffer.from("\r\n", "latin1"));
  }
  head.push(Buffer.from("\r\n", "latin1"), body);
  return Buffer.concat(head);
}

async function viaSocket(origin: URL, request: FuzzRequest): Promise<Answer> {
  const started = performance.now();
  const socket = net.connect({ host: origin.hostname, port: Number(origin.port) });
  const received: Buffer[] = [];
  return await new Promise<Answer>((resolve) => {
    let isDone = false;
    const finish = (failure?: string) => {
      if (isDone) return;
      isDone = true;
      clearTimeout(timeout);
      clearTimeout(grace);
      socket.destroy();
      const parsed = parseResponse(Buffer.concat(received), request.method === "HEAD", true);
      resolve({
        ...(parsed ?? { status: null, headers: {}, body: Buffer.alloc(0) }),
        ...(parsed === null && { failure: failure ?? "the connection closed without an answer" }),
        elapsedMs: performance.now() - started,
      });
    };
    const timeout = setTimeout(() => finish(`no answer within ${ANSWER_TIMEOUT_MS} ms`), ANSWER_TIMEOUT_MS);
    const grace = request.isTruncated ? setTimeout(() => socket.end(), TRUNCATED_GRACE_MS) : undefined;
    socket.on("data", (chunk: Buffer) => {
      received.push(chunk);
      // a complete response ends the exchange even if the server keeps the connection open
      if (parseResponse(Buffer.concat(received), request.method === "HEAD", false)) finish();
    });
    socket.on("end", () => finish());
    socket.on("close", () => finish());
    socket.on("error", (error) => finish(`socket error: ${describe(error)}`));
    socket.write(wireBytes(origin, request), () => {});
  });
}

/**
 * A complete HTTP/1.1 response from the start of `bytes` (1xx interim responses skipped), or
 * null. `isClosed`: the connection has ended, so a body without length runs to the end.
 */
export function parseResponse(
  bytes: Buffer,
  isHead: boolean,
  isClosed: boolean,
): Pick<Answer, "status" | "headers" | "body"> | null {
  let offset = 0;
  for (;;) {
    const headEnd = bytes.indexOf("\r\n\r\n", offset, "latin1");
    if (headEnd < 0) return null;
    const lines = bytes.subarray(offset, headEnd).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? "")?.[1]);
    if (!Number.isInteger(status)) return null;
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line.slice(colon + 1).trim();
      headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
    }
    const bodyStart = headEnd + 4;
    if (status >= 100 && status < 200) {
      offset = bodyStart;
      continue;
    }
    if (isHead || status === 204 || status === 304) return { status, headers, body: Buffer.alloc(0) };
    if (/\bchunked\b/i.test(headers["transfer-encoding"] ?? "")) {
      const body = dechunk(bytes.subarray(bodyStart));
      return body ? { status, headers, body } : null;
    }
    const length = headers["content-length"];
    if (length !== undefined) {
      const end = bodyStart + Number(length);
      return bytes.length >= end ? { status, headers, body: bytes.subarray(bodyStart, end) } : null;
    }
    return isClosed ? { status, headers, body: bytes.subarray(bodyStart) } : null;
  }
}

function dechunk(bytes: Buffer): Buffer | null {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf("\r\n", offset, "latin1");
    if (lineEnd < 0) return null;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString("latin1"), 16);
    if (!Number.isInteger(size)) return null;
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (bytes.length < start + size + 2) return null;
    parts.push(bytes.subarray(start, start + size));
    offset = start + size + 2;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const own = error as { code?: string; name?: string; message?: string };
  return [own.code ?? own.name, cause?.code ?? cause?.message].filter(Boolean).join(" / ");
}
