/** Mutations of the file upload's multipart body. */
import fc from "fast-check";
import {
  type Draft,
  field,
  filePart,
  type MultipartPart,
  type Mutation,
  multipartBytes,
  mutation,
} from "../drafts.ts";
import { oddText, specialTokenOf } from "./odd-values.ts";

export type Parts = { parts: MultipartPart[]; boundary: string };
const partsOf = (d: Draft) => d.body as Parts;

export const multipartMutations: fc.Arbitrary<Mutation>[] = [
  fc.constant(
    mutation("multipart: file part without a name", "filename only", (d) => {
      const file = partsOf(d).parts.at(-1) as MultipartPart;
      file.headers[0] = 'Content-Disposition: form-data; filename="notes.jsonl"';
    }),
  ),
  fc.constant(
    mutation("multipart: part without Content-Disposition", "file part", (d) => {
      const file = partsOf(d).parts.at(-1) as MultipartPart;
      file.headers = ["Content-Type: application/jsonl"];
    }),
  ),
  fc.constant(
    mutation("multipart: two files", "file twice", (d) => {
      partsOf(d).parts.push(filePart("file", "second.jsonl", "application/jsonl", Buffer.from("{}\n")));
    }),
  ),
  fc.constant(
    mutation("multipart: file sent as a field", "no filename", (d) => {
      const parts = partsOf(d).parts;
      parts[parts.length - 1] = field("file", '{"fuzz":true}');
    }),
  ),
  fc.constantFrom("other-boundary", "", `${"b".repeat(80)}`, '"quoted"', "with space").map((boundary) =>
    mutation("multipart: wrong boundary", JSON.stringify(boundary), (d) => {
      d.contentType = boundary === "" ? "multipart/form-data" : `multipart/form-data; boundary=${boundary}`;
    }),
  ),
  fc.double({ min: 0.05, max: 0.95, noNaN: true }).map((fraction) =>
    mutation("multipart: truncated body", `cut at ${Math.round(fraction * 100)} %`, (d) => {
      const bytes = multipartBytes(partsOf(d).parts, partsOf(d).boundary);
      d.body = { kind: "bytes", bytes: bytes.subarray(0, Math.floor(bytes.length * fraction)) };
    }),
  ),
  fc.constant(
    mutation("multipart: body shorter than Content-Length", "half the announced bytes", (d) => {
      const bytes = multipartBytes(partsOf(d).parts, partsOf(d).boundary);
      d.body = { kind: "bytes", bytes: bytes.subarray(0, bytes.length >> 1) };
      d.headers.push(["Content-Length", String(bytes.length)]);
      d.transport = "socket";
      d.isTruncated = true;
    }),
  ),
  fc.constant(
    mutation("multipart: no closing boundary", "last delimiter missing", (d) => {
      const bytes = multipartBytes(partsOf(d).parts, partsOf(d).boundary);
      d.body = { kind: "bytes", bytes: bytes.subarray(0, bytes.lastIndexOf(`--${partsOf(d).boundary}--`)) };
    }),
  ),
  fc.constant(
    mutation("multipart: LF line endings", "\\n instead of \\r\\n", (d) => {
      d.body = { kind: "bytes", bytes: multipartBytes(partsOf(d).parts, partsOf(d).boundary, "\n") };
    }),
  ),
  fc.constant(
    mutation("multipart: preamble and epilogue", "text around the parts", (d) => {
      const bytes = multipartBytes(partsOf(d).parts, partsOf(d).boundary);
      d.body = {
        kind: "bytes",
        bytes: Buffer.concat([Buffer.from("preamble\r\n"), bytes, Buffer.from("epilogue")]),
      };
    }),
  ),
  fc.constant(
    mutation("multipart: empty body", "no bytes", (d) => {
      d.body = { kind: "bytes", bytes: Buffer.alloc(0) };
    }),
  ),
  fc
    .constantFrom<[string, string | Buffer]>(
      ["path traversal", "../../etc/passwd"],
      ["NUL", "a\u0000b.txt"],
      ["empty", ""],
      ["dot", "."],
      ["huge", "n".repeat(10_000)],
      ["unicode", "ﬁlé‮txt.exe"],
      ["invalid UTF-8", Buffer.from([0x61, 0xff, 0xc0, 0xaf, 0x2e, 0x74, 0x78, 0x74])],
      ["quote inside", 'a"b.txt'],
      ["CRLF inside", "a\r\nX-Injected: 1"],
      ["backslashes", "..\\..\\windows\\win.ini"],
    )
    .map(([name, filename]) =>
      mutation("multipart: odd filename", name, (d) => {
        const parts = partsOf(d).parts;
        parts[parts.length - 1] = filePart("file", filename, "application/jsonl", Buffer.from("{}\n"));
        if (typeof filename !== "string") d.transport = "socket";
      }),
    ),
  fc.constant(
    mutation("multipart: RFC 5987 filename*", "filename*=UTF-8''", (d) => {
      const file = partsOf(d).parts.at(-1) as MultipartPart;
      file.headers[0] =
        "Content-Disposition: form-data; name=\"file\"; filename*=UTF-8''%E2%82%AC%ED%A0%80.txt";
    }),
  ),
  fc
    .constantFrom<[string, string | Buffer]>(
      ["empty", ""],
      ["huge", "n".repeat(200)],
      ["__proto__", "__proto__"],
      ["constructor", "constructor"],
      ["unicode", "purpose\u202E"],
      ["invalid UTF-8", Buffer.from([0x70, 0xff, 0xfe])],
    )
    .map(([name, fieldName]) =>
      mutation("multipart: odd field name", name, (d) => {
        partsOf(d).parts.unshift(field(fieldName, "value"));
        if (typeof fieldName !== "string") d.transport = "socket";
      }),
    ),
  fc
    .tuple(
      fc.constantFrom("purpose", "user", "expires_after[seconds]", "expires_after[anchor]"),
      fc.oneof(
        oddText,
        fc.constantFrom(
          "",
          "x".repeat(2_000),
          "1e400",
          "-1",
          "3600.5",
          "99999999999999999999",
          "0x10",
          "batch",
        ),
      ),
    )
    .map(([name, value]) =>
      mutation(
        specialTokenOf(value) ? "multipart: special-token field" : "multipart: odd field value",
        `${name}=${JSON.stringify(value).slice(0, 40)}`,
        (d) => {
          const parts = partsOf(d).parts;
          const index = parts.findIndex((p) => String(p.headers[0]).includes(`name="${name}"`));
          const replacement = field(name, value);
          if (index >= 0) parts[index] = replacement;
          else parts.unshift(replacement);
        },
      ),
    ),
  fc.constantFrom([0xff], [0xed, 0xa0, 0x80], [0xc0, 0xaf]).map((bytes) =>
    mutation("multipart: invalid UTF-8 field value", Buffer.from(bytes).toString("hex"), (d) => {
      const parts = partsOf(d).parts;
      parts[1] = field("user", Buffer.concat([Buffer.from("u"), Buffer.from(bytes)]));
      d.transport = "socket";
    }),
  ),
  fc.constantFrom(17, 40).map((count) =>
    mutation("multipart: too many fields", `${count} fields`, (d) => {
      const parts = partsOf(d).parts;
      for (let i = 0; i < count; i++) parts.unshift(field(`extra${i}`, "x"));
    }),
  ),
  fc.constantFrom(33, 100).map((count) =>
    mutation("multipart: too many part headers", `${count} headers`, (d) => {
      const file = partsOf(d).parts.at(-1) as MultipartPart;
      for (let i = 0; i < count; i++) file.headers.push(`X-Extra-${i}: ${i}`);
    }),
  ),
  fc.constant(
    mutation("multipart: huge part header", "20 kB header line", (d) => {
      const file = partsOf(d).parts.at(-1) as MultipartPart;
      file.headers.push(`X-Huge: ${"h".repeat(20_000)}`);
    }),
  ),
  fc.constant(
    mutation("multipart: field after the file", "purpose last", (d) => {
      const parts = partsOf(d).parts;
      parts.push(parts.shift() as MultipartPart);
    }),
  ),
  fc.constant(
    mutation("multipart: nested multipart", "multipart/mixed part", (d) => {
      const inner = multipartBytes([field("purpose", "batch")], "inner");
      partsOf(d).parts.push({
        headers: [
          'Content-Disposition: form-data; name="nested"',
          "Content-Type: multipart/mixed; boundary=inner",
        ],
        content: inner,
      });
    }),
  ),
  fc.constantFrom(0, 1024 * 1024 + 1).map((size) =>
    mutation("multipart: file size edge", `${size} bytes`, (d) => {
      const parts = partsOf(d).parts;
      parts[parts.length - 1] = filePart(
        "file",
        "edge.bin",
        "application/octet-stream",
        Buffer.alloc(size, 0x61),
      );
    }),
  ),
  fc.constantFrom("", "x".repeat(5_000), "text/plain; charset=\u00ff", "multipart/form-data").map((type) =>
    mutation("multipart: odd part content type", JSON.stringify(type.slice(0, 30)), (d) => {
      const file = partsOf(d).parts.at(-1) as MultipartPart;
      file.headers[1] = `Content-Type: ${type}`;
    }),
  ),
];
