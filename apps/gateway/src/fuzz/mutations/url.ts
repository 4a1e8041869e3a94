import fc from "fast-check";
import { type Draft, type Mutation, mutation } from "../drafts.ts";
import { oddText } from "./odd-values.ts";

export const paramMutations: fc.Arbitrary<Mutation>[] = [
  fc
    .constantFrom(
      "%00",
      "file-abc%00def",
      "%zz",
      "%",
      "abc%",
      "%C0%AF",
      "%ED%A0%80",
      "%FF%FE",
      "..%2F..%2Fetc%2Fpasswd",
      "%2F",
      "%20",
      "%0D%0ASet-Cookie:%20x=1",
      "%E2%80%AE",
      "%F0%9F%98%80",
      "file-%2e%2e",
      "a;b=c",
      "__proto__",
      "constructor",
    )
    .map((raw) =>
      mutation(
        raw.includes("%00")
          ? "URL: NUL in a path parameter"
          : "URL: odd percent-encoding in a path parameter",
        raw,
        (d) => {
          d.path = withParam(d, raw);
        },
      ),
    ),
  fc.constantFrom(257, 2_000, 8_000, 15_000, 70_000).map((length) =>
    mutation("URL: long path parameter", `${length} characters`, (d) => {
      d.path = withParam(d, "p".repeat(length));
      // fetch would refuse nothing here, but the socket reports what the server does with it
      d.transport = "socket";
    }),
  ),
  oddText.map((text) =>
    mutation("URL: odd unicode in a path parameter", JSON.stringify(text).slice(0, 40), (d) => {
      d.path = withParam(d, encodeURIComponent(text.replace(/[\uD800-\uDFFF]/g, "x")));
    }),
  ),
  fc.constantFrom([0xff], [0xc3, 0xa9], [0xed, 0xa0, 0x80], [0x00], [0x7f], [0x20], [0x09]).map((bytes) =>
    mutation("URL: raw bytes in a path parameter", Buffer.from(bytes).toString("hex"), (d) => {
      d.path = withParam(d, Buffer.from(bytes).toString("latin1"));
      d.transport = "socket";
    }),
  ),
];

/** The path with its parameter (or, for a route without one, its last segment's end) replaced. */
export function withParam(d: Draft, raw: string): string {
  if (!d.endpoint.param) return `${d.path}${raw}`;
  const segments = d.endpoint.route.split("/");
  const current = d.path.split("/");
  const index = segments.findIndex((segment) => segment.startsWith(":"));
  current[index] = raw;
  return current.join("/");
}

export const urlMutations: fc.Arbitrary<Mutation>[] = [
  fc
    .constantFrom(
      "?limit=%zz",
      "?limit=-1",
      "?limit=0",
      "?limit=1e400",
      "?limit=99999999999999999999999",
      "?limit=1&limit=2",
      "?limit[]=1",
      "?order=sideways",
      "?order[]=asc",
      "?after=%00",
      "?after=file-%00",
      "?after=%FF",
      `?after=${"a".repeat(65)}`,
      "?purpose=",
      `?purpose=${"x".repeat(8_000)}`,
      "?__proto__=x&constructor=y",
      "?__proto__[isAdmin]=1",
      "?%",
      "?=&&=",
      "?a=%E2%80%AE",
      "??",
      "?#",
    )
    .map((query) =>
      mutation("URL: odd query", query.slice(0, 40), (d) => {
        d.query = query;
        d.transport = "socket";
      }),
    ),
  fc
    .constantFrom<[string, (path: string) => string]>(
      ["double slash", (p) => `/${p}`],
      [
        "inner double slash",
        (p) =>
          p
            .replace("/", "//")
            .replace(/^\/\/+/, "/")
            .replace(/\/(\w)/, "//$1"),
      ],
      ["trailing slash", (p) => `${p}/`],
      ["upper case", (p) => p.toUpperCase()],
      ["dot segment", (p) => p.replace(/^\/(\w+)/, "/$1/.")],
      ["dot-dot segment", (p) => `/x/..${p}`],
      ["encoded letter", (p) => p.replace(/([a-z])/, (c) => `%${c.charCodeAt(0).toString(16)}`)],
      ["encoded slash", (p) => p.replace(/\/([^/]*)$/, "%2F$1")],
      ["fragment", (p) => `${p}#frag`],
      ["asterisk form", () => "*"],
      ["absolute form", (p) => `http://127.0.0.1${p}`],
      ["no leading slash", (p) => p.slice(1)],
      ["backslash", (p) => p.replaceAll("/", "\\")],
      ["semicolon parameters", (p) => `${p};jsessionid=1`],
    )
    .map(([name, reshape]) =>
      mutation("URL: odd path shape", name, (d) => {
        d.path = reshape(d.path);
        d.transport = "socket";
      }),
    ),
];
