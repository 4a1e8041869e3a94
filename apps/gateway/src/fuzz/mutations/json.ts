import fc from "fast-check";
import { bodyBytes, type Mutation, mutation, substitute } from "../drafts.ts";
import { ODD_KEYS, oddText, specialTokenOf } from "./odd-values.ts";

const wrongTypeValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, -0, 1.5, 1e308, -1e308, 2 ** 53 + 1, "", "0", [], {}, [
    [],
  ]),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.array(fc.integer(), { maxLength: 5 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);

/** Each place in a JSON value: its parent and the key or index that holds it. */
function placesIn(value: unknown): { parent: Record<string, unknown> | unknown[]; key: string | number }[] {
  const places: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      node.forEach((child, index) => {
        places.push({ parent: node, key: index });
        pending.push(child);
      });
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        places.push({ parent: node as Record<string, unknown>, key });
        pending.push(child);
      }
    }
  }
  return places;
}

function objectsIn(value: unknown): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  if (value !== null && typeof value === "object" && !Array.isArray(value))
    found.push(value as Record<string, unknown>);
  for (const { parent, key } of placesIn(value)) {
    const child = (parent as Record<string | number, unknown>)[key];
    if (child !== null && typeof child === "object" && !Array.isArray(child)) {
      found.push(child as Record<string, unknown>);
    }
  }
  return found;
}

/** Puts a key on an object as its own property, even "__proto__". */
function setOwn(object: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(object, key, { value, enumerable: true, configurable: true, writable: true });
}

const pick = fc.nat();

export const jsonMutations: fc.Arbitrary<Mutation>[] = [
  fc.tuple(pick, wrongTypeValue).map(([at, value]) =>
    mutation("JSON: wrong type", `value ${JSON.stringify(value)?.slice(0, 40)}`, (d) => {
      const places = placesIn((d.body as { value: unknown }).value);
      const place = places[at % places.length];
      if (!place) return;
      (place.parent as Record<string | number, unknown>)[place.key] = value;
    }),
  ),
  pick.map((at) =>
    mutation("JSON: missing field", `field #${at}`, (d) => {
      const places = placesIn((d.body as { value: unknown }).value).filter((p) => !Array.isArray(p.parent));
      const place = places[at % places.length];
      if (place) delete (place.parent as Record<string, unknown>)[place.key as string];
    }),
  ),
  fc
    .tuple(
      pick,
      fc.oneof(fc.constantFrom(...ODD_KEYS), fc.string({ maxLength: 12 })),
      fc.jsonValue({ maxDepth: 3 }),
    )
    .map(([at, key, value]) =>
      mutation(
        ODD_KEYS.includes(key) ? `JSON: extra "${key}" key` : "JSON: extra field",
        `key ${JSON.stringify(key)}`,
        (d) => {
          const objects = objectsIn((d.body as { value: unknown }).value);
          const object = objects[at % objects.length];
          if (object) setOwn(object, key, ODD_KEYS.includes(key) ? { polluted: true, isAdmin: true } : value);
        },
      ),
    ),
  fc
    .tuple(
      pick,
      fc.constantFrom(100_000, 1_000_000, 2_500_000),
      fc.constantFrom("a", "€", "😀", "\u0000", " "),
    )
    .map(([at, length, unit]) =>
      mutation("JSON: huge string", `${length} × ${JSON.stringify(unit)}`, (d) => {
        const value = (d.body as { value: unknown }).value;
        const places = placesIn(value).filter(
          (p) => typeof (p.parent as Record<string | number, unknown>)[p.key] === "string",
        );
        const place = places[at % places.length];
        if (place) (place.parent as Record<string | number, unknown>)[place.key] = unit.repeat(length);
      }),
    ),
  fc
    .tuple(pick, fc.constantFrom(1_000, 10_000, 100_000), fc.constantFrom<unknown>(0, "x", {}, [], null))
    .map(([at, length, element]) =>
      mutation("JSON: huge array", `${length} × ${JSON.stringify(element)}`, (d) => {
        const value = (d.body as { value: unknown }).value;
        const arrays = placesIn(value).filter((p) =>
          Array.isArray((p.parent as Record<string | number, unknown>)[p.key]),
        );
        const place = arrays[at % arrays.length];
        if (!place) return;
        const array = (place.parent as Record<string | number, unknown[]>)[place.key] as unknown[];
        // more of what is there (a long conversation), or of something else
        const sample = at % 2 === 0 && array.length > 0 ? array[0] : element;
        (place.parent as Record<string | number, unknown>)[place.key] = Array.from({ length }, () => sample);
      }),
    ),
  fc
    .tuple(pick, fc.constantFrom(100, 1_000, 10_000, 100_000, 1_000_000), fc.constantFrom("[", '{"a":'))
    .map(([at, depth, opener]) =>
      mutation("JSON: deep nesting", `${depth} levels of ${opener}`, (d) => {
        const value = (d.body as { value: unknown }).value;
        const places = placesIn(value);
        const place = places[at % places.length];
        if (!place) return;
        const closer = opener === "[" ? "]" : "}";
        const nested = Buffer.from(`${opener.repeat(depth)}1${closer.repeat(depth)}`);
        (place.parent as Record<string | number, unknown>)[place.key] = substitute(d, nested);
      }),
    ),
  fc.tuple(pick, oddText).map(([at, text]) =>
    mutation(
      specialTokenOf(text) ? "JSON: special-token text" : "JSON: odd unicode string",
      `text ${JSON.stringify(text).slice(0, 60)}`,
      (d) => {
        const value = (d.body as { value: unknown }).value;
        const places = placesIn(value).filter(
          (p) => typeof (p.parent as Record<string | number, unknown>)[p.key] === "string",
        );
        const place = places[at % places.length];
        if (place) (place.parent as Record<string | number, unknown>)[place.key] = text;
      },
    ),
  ),
  fc
    .tuple(
      pick,
      fc.constantFrom(
        [0xff],
        [0xc3, 0x28],
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        [0xf4, 0x90, 0x80, 0x80],
        [0xe2, 0x82],
        [0xf8, 0x88, 0x80, 0x80, 0x80],
      ),
    )
    .map(([at, bytes]) =>
      mutation("JSON: invalid UTF-8 in a string", `bytes ${Buffer.from(bytes).toString("hex")}`, (d) => {
        const value = (d.body as { value: unknown }).value;
        const places = placesIn(value).filter(
          (p) => typeof (p.parent as Record<string | number, unknown>)[p.key] === "string",
        );
        const place = places[at % places.length];
        if (!place) return;
        const around = Buffer.concat([Buffer.from('"ab'), Buffer.from(bytes), Buffer.from('cd"')]);
        (place.parent as Record<string | number, unknown>)[place.key] = substitute(d, around);
        d.transport = "socket";
      }),
    ),
  fc.tuple(pick, fc.nat(), wrongTypeValue).map(([at, which, other]) =>
    mutation("JSON: duplicate key", `second value ${JSON.stringify(other)?.slice(0, 40)}`, (d) => {
      const objects = objectsIn((d.body as { value: unknown }).value).filter(
        (o) => Object.keys(o).length > 0,
      );
      const object = objects[at % objects.length];
      if (!object) return;
      const keys = Object.keys(object);
      const key = keys[which % keys.length] as string;
      // the same key again, with another value, at the wire level (a JS object cannot hold both)
      setOwn(object, substitute(d, Buffer.from(`${JSON.stringify(key)}:`), true), other);
      d.transport = "socket";
    }),
  ),
  fc.double({ min: 0.05, max: 0.95, noNaN: true }).map((fraction) =>
    mutation("JSON: truncated", `cut at ${Math.round(fraction * 100)} %`, (d) => {
      const bytes = bodyBytes(d) ?? Buffer.alloc(0);
      d.body = { kind: "bytes", bytes: bytes.subarray(0, Math.floor(bytes.length * fraction)) };
    }),
  ),
  fc
    .constantFrom(
      "null",
      "[]",
      '"text"',
      "1e400",
      "true",
      "",
      " ",
      "{}",
      "{,}",
      "[".repeat(10_000),
      `${"[".repeat(10_000)}${"]".repeat(10_000)}`,
      `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}`,
      '{"a":1}{"b":2}',
      "{'single':'quotes'}",
      '{"a":NaN}',
      '{"a":1,}',
    )
    .map((text) =>
      mutation("JSON: not an object", `body ${JSON.stringify(text.slice(0, 30))}`, (d) => {
        d.body = { kind: "bytes", bytes: Buffer.from(text) };
      }),
    ),
  fc.constantFrom("\uFEFF", "\n\n", "garbage", "\u0000").map((affix) =>
    mutation("JSON: bytes around the object", `affix ${JSON.stringify(affix)}`, (d) => {
      const bytes = bodyBytes(d) ?? Buffer.alloc(0);
      d.body = { kind: "bytes", bytes: at2(affix, bytes) };
    }),
  ),
  fc
    .constantFrom(
      "application/json; charset=utf-16le",
      "application/json; charset=latin1",
      "APPLICATION/JSON",
      "application/json;;;",
      "application/json, text/plain",
      "application/vnd.api+json",
      "text/plain",
      "text/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=x",
      "application/octet-stream",
      "",
    )
    .map((contentType) =>
      mutation("JSON: odd content type", contentType, (d) => {
        d.contentType = contentType;
        if (contentType.includes("utf-16"))
          d.body = {
            kind: "bytes",
            bytes: Buffer.from(JSON.stringify((d.body as { value: unknown }).value), "utf16le"),
          };
      }),
    ),
  fc.constant(
    mutation("JSON: over the body limit", "10 MiB + 1 byte", (d) => {
      const value = { ...(d.body as { value: Record<string, unknown> }).value, pad: "" };
      const base = Buffer.byteLength(JSON.stringify(value));
      value.pad = "p".repeat(10 * 1024 * 1024 + 1 - base);
      d.body = { kind: "json", value };
    }),
  ),
];

function at2(affix: string, bytes: Buffer): Buffer {
  return affix === "\uFEFF" || affix === "\u0000"
    ? Buffer.concat([Buffer.from(affix), bytes])
    : Buffer.concat([bytes, Buffer.from(affix)]);
}
