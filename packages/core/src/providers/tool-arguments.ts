/**
 * Arguments for a forced tool call of the built-in model: a value that satisfies the tool's JSON
 * Schema (required properties, types, enums, constants, formats, numeric and length bounds), so
 * that clients which validate arguments against the schema accept the call. Deterministic: the
 * same schema always gives the same value.
 *
 * The schema comes from the caller, so the walk is bounded: it reads at most MAX_WORK schema keys
 * in all (a `$ref` to one large definition from many places counts each time), follows `$ref`
 * only inside the document and at most MAX_DEPTH deep (a recursive schema ends there, with its
 * optional parts left out), makes arrays of at most MAX_ITEMS, writes at most MAX_OUTPUT
 * characters (a long `minLength` or `const` referenced from many places would otherwise multiply),
 * and never runs a `pattern` (a caller's regular expression could take exponential time). What
 * the bounds cut is left out or null: the arguments may then miss the schema, never the budget.
 */

type Schema = Record<string, unknown>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const MAX_DEPTH = 16;
const MAX_WORK = 50_000;
const MAX_OUTPUT = 65_536;
const MAX_ITEMS = 8;

const FORMAT_EXAMPLES: Record<string, string> = {
  email: "user@example.com",
  "idn-email": "user@example.com",
  uri: "https://example.com/",
  url: "https://example.com/",
  "uri-reference": "https://example.com/",
  iri: "https://example.com/",
  "date-time": "2026-01-01T00:00:00Z",
  date: "2026-01-01",
  time: "00:00:00Z",
  duration: "P1D",
  uuid: "00000000-0000-4000-8000-000000000000",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  hostname: "example.com",
  "idn-hostname": "example.com",
};

/** The JSON text of arguments that satisfy `parameters`; "{}" when there is no schema. */
export function toolArgumentsFor(parameters: Schema | undefined): string {
  if (parameters === undefined) return "{}";
  const walk = new SchemaWalk(parameters);
  const value = walk.valueOf(parameters, 0);
  return JSON.stringify(isPlainObject(value) ? value : {});
}

class SchemaWalk {
  private work = 0;
  private written = 0;
  /** the JSON length of each constant taken, measured once however often it is referenced */
  private readonly sizes = new WeakMap<object, number>();
  constructor(private readonly root: Schema) {}

  /** `value` as part of the arguments, if the output budget still has room for it */
  private take(value: Json): Json | undefined {
    this.written += this.sizeOf(value);
    return this.written <= MAX_OUTPUT ? value : undefined;
  }

  private sizeOf(value: Json): number {
    if (typeof value === "string") return value.length + 2;
    if (value === null || typeof value !== "object") return 8;
    let size = this.sizes.get(value);
    if (size === undefined) {
      size = JSON.stringify(value).length;
      this.sizes.set(value, size);
    }
    return size;
  }

  /** counts `keys` read; false once the walk has read its share */
  private spend(keys: number): boolean {
    this.work += keys;
    return this.work <= MAX_WORK;
  }

  /** spend() for reading a node's keys, which are not even listed once the share is used up */
  private spendKeysOf(node: Schema): boolean {
    return this.work <= MAX_WORK && this.spend(Object.keys(node).length);
  }

  valueOf(node: unknown, depth: number): Json | undefined {
    if (!isPlainObject(node)) return node === false ? undefined : {};
    if (depth > MAX_DEPTH || !this.spendKeysOf(node)) return undefined;
    const schema = this.resolved(node, depth);
    if (schema === undefined) return undefined;

    if ("const" in schema) return this.take(schema.const as Json);
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return this.take(schema.enum[0] as Json);
    const branch = firstOf(schema.anyOf) ?? firstOf(schema.oneOf);
    if (branch !== undefined)
      return this.valueOf({ ...withoutKeys(schema, "anyOf", "oneOf"), ...branch }, depth + 1);
    if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
      return this.valueOf(this.merged(schema, depth), depth + 1);
    }

    switch (typeOf(schema)) {
      case "null":
        return null;
      case "boolean":
        return true;
      case "integer":
        return numberWithin(schema, true);
      case "number":
        return numberWithin(schema, false);
      case "string":
        return this.take(stringWithin(schema, MAX_OUTPUT - this.written));
      case "array":
        return this.arrayOf(schema, depth);
      default:
        return this.objectOf(schema, depth);
    }
  }

  private objectOf(schema: Schema, depth: number): Json {
    const properties = isPlainObject(schema.properties) ? schema.properties : {};
    const required = Array.isArray(schema.required) ? schema.required : [];
    // no prototype: a required property named "__proto__" is a key like any other
    const object: Record<string, Json> = Object.create(null);
    if (!this.spend(required.length)) return object;
    for (const name of required) {
      if (typeof name !== "string") continue;
      if (Object.hasOwn(object, name)) continue;
      const property = Object.hasOwn(properties, name)
        ? properties[name]
        : (schema.additionalProperties ?? {});
      const value = this.valueOf(property, depth + 1);
      object[name] = value === undefined ? null : value;
    }
    return object;
  }

  private arrayOf(schema: Schema, depth: number): Json {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
    const minimum = Math.max(nonNegative(schema.minItems) ?? 1, prefix.length === 0 ? 1 : 0);
    const maximum = nonNegative(schema.maxItems) ?? MAX_ITEMS;
    const count = Math.min(minimum, maximum, MAX_ITEMS);
    const items: Json[] = [];
    for (let index = 0; index < count; index++) {
      const itemSchema = index < prefix.length ? prefix[index] : (schema.items ?? {});
      const value = this.valueOf(itemSchema, depth + 1);
      if (value === undefined) break;
      items.push(schema.uniqueItems === true ? distinctItem(value, index) : value);
    }
    return items;
  }

  /** a `$ref` to a place in this document, followed; undefined when it leads nowhere */
  private resolved(schema: Schema, depth: number): Schema | undefined {
    let current = schema;
    for (let hops = 0; typeof current.$ref === "string"; hops++) {
      if (hops + depth > MAX_DEPTH || !this.spend(current.$ref.length)) return undefined;
      const target = pointerTarget(this.root, current.$ref);
      if (!isPlainObject(target) || !this.spendKeysOf(target)) return undefined;
      current = { ...withoutKeys(current, "$ref"), ...target };
    }
    return current;
  }

  /** `allOf`'s parts as one schema: their properties and required names together */
  private merged(schema: Schema, depth: number): Schema {
    const parts = (schema.allOf as unknown[])
      .map((part) => (isPlainObject(part) ? this.resolved(part, depth) : undefined))
      .filter((part): part is Schema => part !== undefined);
    const merged: Schema = withoutKeys(schema, "allOf");
    const properties: Schema = { ...(isPlainObject(merged.properties) ? merged.properties : {}) };
    const required = new Set<unknown>(Array.isArray(merged.required) ? merged.required : []);
    for (const part of parts) {
      if (!this.spendKeysOf(part)) break;
      for (const [key, value] of Object.entries(part)) {
        if (key === "properties" && isPlainObject(value)) Object.assign(properties, value);
        else if (key === "required" && Array.isArray(value)) for (const name of value) required.add(name);
        else if (!(key in merged)) merged[key] = value;
      }
    }
    return { ...merged, properties, required: [...required] };
  }
}

function typeOf(schema: Schema): string {
  const type = schema.type;
  if (typeof type === "string") return type;
  if (Array.isArray(type)) return (type.find((t) => t !== "null") ?? type[0] ?? "object") as string;
  if ("properties" in schema || "required" in schema) return "object";
  if ("items" in schema || "prefixItems" in schema) return "array";
  if ("minimum" in schema || "maximum" in schema || "multipleOf" in schema) return "number";
  if ("minLength" in schema || "maxLength" in schema || "format" in schema) return "string";
  return "object";
}

function numberWithin(schema: Schema, isInteger: boolean): number {
  const step =
    finite(schema.multipleOf) && (schema.multipleOf as number) > 0 ? (schema.multipleOf as number) : 0;
  let low = finite(schema.minimum) ? (schema.minimum as number) : Number.NEGATIVE_INFINITY;
  if (finite(schema.exclusiveMinimum))
    low = Math.max(low, (schema.exclusiveMinimum as number) + (isInteger ? 1 : 0.5));
  let high = finite(schema.maximum) ? (schema.maximum as number) : Number.POSITIVE_INFINITY;
  if (finite(schema.exclusiveMaximum))
    high = Math.min(high, (schema.exclusiveMaximum as number) - (isInteger ? 1 : 0.5));
  let value = Math.min(Math.max(1, low), high);
  if (isInteger) value = Math.ceil(value);
  if (step > 0) {
    const up = Math.ceil(value / step) * step;
    value = up <= high ? up : Math.floor(value / step) * step;
  }
  // exclusive bounds closer than the nudge above: take the middle
  if (!isInteger && (value < low || value > high) && Number.isFinite(low) && Number.isFinite(high))
    value = (low + high) / 2;
  return value;
}

/** an example string of the schema, padded to its minLength if `room` allows */
function stringWithin(schema: Schema, room: number): string {
  const format = typeof schema.format === "string" ? FORMAT_EXAMPLES[schema.format] : undefined;
  let text = format ?? "example";
  const minLength = nonNegative(schema.minLength);
  const maxLength = nonNegative(schema.maxLength);
  // a format's example keeps its shape; the bounds apply to free text
  if (format === undefined) {
    if (minLength !== undefined && text.length < minLength)
      text = text.padEnd(Math.max(text.length, Math.min(minLength, room)), "x");
    if (maxLength !== undefined && text.length > maxLength) text = text.slice(0, maxLength);
  }
  return text;
}

/** makes the index-th item differ from the others when the array asks for unique items */
function distinctItem(value: Json, index: number): Json {
  if (index === 0) return value;
  if (typeof value === "string") return `${value}${index}`;
  if (typeof value === "number") return value + index;
  return value;
}

function pointerTarget(root: Schema, ref: string): unknown {
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const key = pointerKey(raw);
    if (key === undefined) return undefined;
    if (!isPlainObject(node) && !Array.isArray(node)) return undefined;
    node = Object.hasOwn(node as object, key) ? (node as Record<string, unknown>)[key] : undefined;
  }
  return node;
}

/** one `$ref` segment, unescaped; undefined when its percent-encoding is broken */
function pointerKey(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw).replaceAll("~1", "/").replaceAll("~0", "~");
  } catch {
    return undefined;
  }
}

function firstOf(list: unknown): Schema | undefined {
  if (!Array.isArray(list)) return undefined;
  return (
    list.find((branch): branch is Schema => isPlainObject(branch) && branch.type !== "null") ??
    list.find(isPlainObject)
  );
}

function withoutKeys(schema: Schema, ...keys: string[]): Schema {
  const copy: Schema = { ...schema };
  for (const key of keys) delete copy[key];
  return copy;
}

function isPlainObject(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function finite(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value);
}

function nonNegative(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 ? value : undefined;
}
