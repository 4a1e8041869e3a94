/** Mutations of headers and of message framing (Content-Length, Transfer-Encoding, HTTP version). */
import fc from "fast-check";
import { bodyBytes, type Mutation, mutation } from "../drafts.ts";

export const headerMutations: fc.Arbitrary<Mutation>[] = [
  fc.constantFrom(8_000, 17_000, 70_000).map((length) =>
    mutation("headers: huge header", `${length} bytes`, (d) => {
      d.headers.push(["X-Huge", "h".repeat(length)]);
      d.transport = "socket";
    }),
  ),
  fc.constantFrom(100, 2_500).map((count) =>
    mutation("headers: many headers", `${count} headers`, (d) => {
      for (let i = 0; i < count; i++) d.headers.push([`X-Many-${i}`, String(i)]);
      d.transport = "socket";
    }),
  ),
  fc.constantFrom("same", "different", "empty").map((kind) =>
    mutation("headers: duplicated Authorization", kind, (d) => {
      const current = d.headers.find(([name]) => name === "Authorization")?.[1] ?? "Bearer sk-none";
      d.headers.push([
        "Authorization",
        kind === "same" ? current : kind === "empty" ? "" : "Bearer sk-another-key",
      ]);
      d.transport = "socket";
    }),
  ),
  fc
    .constantFrom<[string, string | Buffer]>(
      ["empty", ""],
      ["scheme only", "Bearer"],
      ["two spaces", "Bearer  sk-x"],
      ["lower-case scheme, bad key", "bearer sk-invalid"],
      ["Basic", "Basic dXNlcjpwYXNz"],
      ["huge key", `Bearer sk-${"a".repeat(10_000)}`],
      [
        "JWT with alg none",
        "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJ4Iiwic2NvcGUiOiJjaGF0In0.",
      ],
      ["JWT garbage", "Bearer a.b.c"],
      ["unicode", "Bearer sk-ü😀"],
      [
        "invalid UTF-8",
        Buffer.from([0x42, 0x65, 0x61, 0x72, 0x65, 0x72, 0x20, 0x73, 0x6b, 0x2d, 0xff, 0xfe]),
      ],
      ["NUL", "Bearer sk-\u0000x"],
      ["tab", "Bearer\tsk-x"],
    )
    .map(([name, value]) =>
      mutation("headers: broken credential", name, (d) => {
        d.headers = d.headers.filter(([header]) => header !== "Authorization");
        d.headers.push(["Authorization", value]);
        d.isCredentialBroken = true;
        if (typeof value !== "string" || /[^\x20-\x7e]/.test(value)) d.transport = "socket";
      }),
    ),
  fc.constant(
    mutation("headers: no credential", "no Authorization", (d) => {
      d.headers = d.headers.filter(([header]) => header !== "Authorization");
      d.isCredentialBroken = true;
    }),
  ),
  fc.constantFrom("abc", "-1", "1.5", "+5", " 5 ", "0x10", "99999999999999999999", "1, 2").map((value) =>
    mutation("framing: bad Content-Length", JSON.stringify(value), (d) => {
      d.headers.push(["Content-Length", value]);
      d.transport = "socket-as-is";
    }),
  ),
  fc.constant(
    mutation("framing: two different Content-Length", "n and n+1", (d) => {
      const length = (bodyBytes(d) ?? Buffer.alloc(0)).length;
      d.headers.push(["Content-Length", String(length)], ["Content-Length", String(length + 1)]);
      d.transport = "socket-as-is";
    }),
  ),
  fc.constant(
    mutation("framing: body longer than Content-Length", "10 extra bytes", (d) => {
      const body = bodyBytes(d) ?? Buffer.alloc(0);
      d.headers.push(["Content-Length", String(body.length)]);
      d.body = { kind: "bytes", bytes: Buffer.concat([body, Buffer.from("GET / HTTP")]) };
      d.transport = "socket-as-is";
    }),
  ),
  fc.constant(
    mutation("framing: body shorter than Content-Length", "half the announced bytes", (d) => {
      const body = bodyBytes(d) ?? Buffer.from("{}");
      d.headers.push(["Content-Length", String(body.length + 100)]);
      d.body = { kind: "bytes", bytes: body };
      d.transport = "socket-as-is";
      d.isTruncated = true;
    }),
  ),
  fc
    .constantFrom("chunked", "gzip", "chunked, gzip", "identity", "Chunked", "chunked;x=1", "xchunked")
    .map((te) =>
      mutation("framing: Transfer-Encoding with Content-Length", te, (d) => {
        const body = bodyBytes(d) ?? Buffer.alloc(0);
        d.headers.push(["Transfer-Encoding", te], ["Content-Length", String(body.length)]);
        d.body = { kind: "bytes", bytes: chunked(body) };
        d.transport = "socket-as-is";
      }),
    ),
  fc
    .constantFrom<[string, (body: Buffer) => Buffer, boolean]>(
      ["valid", (b) => chunked(b), false],
      ["bad size", (b) => Buffer.concat([Buffer.from("zz\r\n"), b, Buffer.from("\r\n0\r\n\r\n")]), false],
      [
        "size too large",
        (b) =>
          Buffer.concat([
            Buffer.from(`${(b.length + 50).toString(16)}\r\n`),
            b,
            Buffer.from("\r\n0\r\n\r\n"),
          ]),
        true,
      ],
      ["huge size", (b) => Buffer.concat([Buffer.from("fffffffffffffffff\r\n"), b]), true],
      [
        "extension",
        (b) =>
          Buffer.concat([
            Buffer.from(`${b.length.toString(16)};ext="v"\r\n`),
            b,
            Buffer.from("\r\n0\r\n\r\n"),
          ]),
        false,
      ],
      [
        "no last chunk",
        (b) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from("\r\n")]),
        true,
      ],
      [
        "trailer",
        (b) => Buffer.concat([chunked(b).subarray(0, -2), Buffer.from("X-Trailer: 1\r\n\r\n")]),
        false,
      ],
      [
        "one byte per chunk",
        (b) =>
          Buffer.concat(
            [...b]
              .map((byte) => Buffer.concat([Buffer.from("1\r\n"), Buffer.from([byte]), Buffer.from("\r\n")]))
              .concat(Buffer.from("0\r\n\r\n")),
          ),
        false,
      ],
      [
        "LF only",
        (b) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\n`), b, Buffer.from("\n0\n\n")]),
        false,
      ],
    )
    .map(([name, encode, isTruncated]) =>
      mutation("framing: chunked body", name, (d) => {
        const body = bodyBytes(d) ?? Buffer.alloc(0);
        d.headers.push(["Transfer-Encoding", "chunked"]);
        d.body = { kind: "bytes", bytes: encode(body) };
        d.transport = "socket-as-is";
        d.isTruncated = isTruncated;
      }),
    ),
  fc
    .constantFrom<[string, [string, string | Buffer][]]>(
      ["Content-Encoding gzip on plain bytes", [["Content-Encoding", "gzip"]]],
      ["Expect 100-continue", [["Expect", "100-continue"]]],
      ["unknown Expect", [["Expect", "something-else"]]],
      ["x-api-version unknown", [["x-api-version", "0.0"]]],
      ["x-api-version huge", [["x-api-version", "9".repeat(5_000)]]],
      ["x-api-version unicode", [["x-api-version", "1.2\u202E"]]],
      [
        "x-api-version twice",
        [
          ["x-api-version", "1.2"],
          ["x-api-version", "1.0"],
        ],
      ],
      ["X-Forwarded-Proto http", [["X-Forwarded-Proto", "http"]]],
      ["X-Forwarded-For garbage", [["X-Forwarded-For", "not-an-ip, 999.1.1.1, ::zz"]]],
      [
        "Upgrade websocket",
        [
          ["Upgrade", "websocket"],
          ["Connection", "Upgrade"],
        ],
      ],
      [
        "Upgrade h2c",
        [
          ["Upgrade", "h2c"],
          ["Connection", "Upgrade, HTTP2-Settings"],
          ["HTTP2-Settings", "AAMAAABkAARAAAAAAAIAAAAA"],
        ],
      ],
      ["Connection keep-alive", [["Connection", "keep-alive"]]],
      ["x-data-opt-out odd", [["X-Data-Opt-Out", "\u00ff\u00fe"]]],
      ["Cache-Control odd", [["Cache-Control", `no-cache${",".repeat(5_000)}`]]],
      ["header with raw invalid UTF-8", [["User-Agent", Buffer.from([0xff, 0xfe, 0xc0, 0xaf])]]],
      ["header with NUL", [["X-Nul", "a\u0000b"]]],
      ["header name with space", [["X Bad", "1"]]],
      ["header name empty", [["", "1"]]],
      ["obs-fold continuation", [["X-Folded", "a\r\n  continued"]]],
      ["Host missing", [["Host", ""]]],
      [
        "Host twice",
        [
          ["Host", "a.example"],
          ["Host", "b.example"],
        ],
      ],
      ["Accept odd", [["Accept", "text/event-stream;q=x, */*;q=-1"]]],
      ["Accept-Charset odd", [["Accept-Charset", "utf-7"]]],
    )
    .map(([name, extra]) =>
      mutation("headers: odd header", name, (d) => {
        if (name === "Host missing") d.omitHost = true;
        else d.headers.push(...extra);
        d.transport = "socket";
      }),
    ),
  fc.constantFrom("HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "http/1.1", "HTTP/1.1 extra", "").map((version) =>
    mutation("HTTP: odd version", JSON.stringify(version), (d) => {
      d.version = version;
      d.transport = "socket";
    }),
  ),
];

function chunked(body: Buffer): Buffer {
  return body.length === 0
    ? Buffer.from("0\r\n\r\n")
    : Buffer.concat([Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from("\r\n0\r\n\r\n")]);
}
