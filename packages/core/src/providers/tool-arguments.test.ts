import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { composeLocalReply } from "./local-reply.ts";
import { toolArgumentsFor } from "./tool-arguments.ts";

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);

/** the arguments for `schema`, checked by a JSON Schema validator */
function validArguments(schema: Record<string, unknown>): unknown {
  const value = JSON.parse(toolArgumentsFor(schema));
  const validate = ajv.compile(schema);
  expect(validate(value), JSON.stringify(validate.errors)).toBe(true);
  return value;
}

describe("the built-in model's tool-call arguments", () => {
  it("fill the required properties with values of their types", () => {
    const value = validArguments({
      type: "object",
      properties: {
        city: { type: "string", minLength: 12 },
        days: { type: "integer", minimum: 3, maximum: 10 },
        temperature: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
        metric: { type: "boolean" },
        note: { type: "string" },
      },
      required: ["city", "days", "temperature", "metric"],
      additionalProperties: false,
    });
    expect(value).toEqual({ city: "examplexxxxx", days: 3, temperature: 0.5, metric: true });
  });

  it("take enums, constants, formats and bounds into account", () => {
    validArguments({
      type: "object",
      properties: {
        unit: { type: "string", enum: ["celsius", "fahrenheit"] },
        version: { const: 2 },
        email: { type: "string", format: "email" },
        when: { type: "string", format: "date-time" },
        day: { type: "string", format: "date" },
        link: { type: "string", format: "uri" },
        id: { type: "string", format: "uuid" },
        address: { type: "string", format: "ipv4" },
        short: { type: "string", maxLength: 3 },
        step: { type: "number", minimum: 7, multipleOf: 5 },
        negative: { type: "integer", maximum: -4 },
        optional: { type: ["string", "null"] },
      },
      required: [
        "unit",
        "version",
        "email",
        "when",
        "day",
        "link",
        "id",
        "address",
        "short",
        "step",
        "negative",
        "optional",
      ],
    });
  });

  it("build nested objects, arrays, references and unions", () => {
    const value = validArguments({
      type: "object",
      $defs: {
        place: {
          type: "object",
          properties: {
            name: { type: "string" },
            tags: { type: "array", items: { type: "string" }, minItems: 2, uniqueItems: true },
          },
          required: ["name", "tags"],
        },
      },
      properties: {
        from: { $ref: "#/$defs/place" },
        stops: { type: "array", items: { $ref: "#/$defs/place" }, minItems: 1 },
        mode: { anyOf: [{ type: "null" }, { type: "string", enum: ["car", "train"] }] },
        choice: { oneOf: [{ type: "integer", minimum: 5 }, { type: "string" }] },
        both: {
          allOf: [
            { type: "object", properties: { a: { type: "integer" } }, required: ["a"] },
            { properties: { b: { type: "boolean" } }, required: ["b"] },
          ],
        },
        pair: { type: "array", prefixItems: [{ type: "string" }, { type: "integer" }], minItems: 2 },
      },
      required: ["from", "stops", "mode", "choice", "both", "pair"],
    });
    expect(value).toMatchObject({ mode: "car", choice: 5, both: { a: 1, b: true }, pair: ["example", 1] });
  });

  it("are the same for the same schema, and {} without one", () => {
    const schema = { type: "object", properties: { q: { type: "string" } }, required: ["q"] };
    expect(toolArgumentsFor(schema)).toBe(toolArgumentsFor(structuredClone(schema)));
    expect(toolArgumentsFor(undefined)).toBe("{}");
  });

  it("end a recursive schema and keep a required property named __proto__ as a key", () => {
    const recursive = {
      type: "object",
      properties: { child: { $ref: "#" }, __proto__: { type: "string" } },
      required: ["child"],
    };
    const value = JSON.parse(toolArgumentsFor(recursive));
    let depth = 0;
    for (let node = value; node?.child; node = node.child) depth++;
    expect(depth).toBeGreaterThan(3);
    expect(depth).toBeLessThan(40);

    const named = JSON.parse(
      toolArgumentsFor({
        type: "object",
        properties: { ["__proto__"]: { type: "integer" } },
        required: ["__proto__"],
      }),
    );
    expect(Object.keys(named)).toEqual(["__proto__"]);
  });

  it("stay bounded on hostile schemas: one big definition referenced from everywhere, huge required lists", () => {
    const big = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`p${i}`, { type: "string" }]));
    const definition = { type: "object", properties: big, required: Object.keys(big) };
    const properties = Object.fromEntries(
      Array.from({ length: 5_000 }, (_, i) => [`r${i}`, { $ref: "#/$defs/d" }]),
    );
    const schema = {
      type: "object",
      $defs: { d: definition },
      properties,
      required: Object.keys(properties),
    };
    // the walk reads a bounded number of keys: what it could not afford is left null, not hung on
    const value = JSON.parse(toolArgumentsFor(schema)) as Record<string, unknown>;
    expect(Object.keys(value)).toHaveLength(5_000);
    expect(Object.values(value).filter((entry) => entry === null).length).toBeGreaterThan(4_990);
  });

  it("stay small when one long string or constant is referenced from many places", () => {
    const names = Array.from({ length: 3_000 }, (_, i) => `n${i}`);
    const long = {
      type: "object",
      $defs: { padded: { type: "string", minLength: 10_000 } },
      properties: Object.fromEntries(names.map((name) => [name, { $ref: "#/$defs/padded" }])),
      required: names,
    };
    expect(toolArgumentsFor(long).length).toBeLessThan(100_000);
    const constant = { big: "x".repeat(50_000) };
    const constants = {
      type: "object",
      properties: Object.fromEntries(names.map((name) => [name, { const: constant }])),
      required: names,
    };
    expect(toolArgumentsFor(constants).length).toBeLessThan(100_000);
  });

  it("treat a reference with broken percent-encoding as one that leads nowhere", () => {
    const schema = { type: "object", properties: { a: { $ref: "#/%E0" } }, required: ["a"] };
    expect(JSON.parse(toolArgumentsFor(schema))).toEqual({ a: null });
  });

  it("are what a forced call of the built-in model answers", () => {
    const reply = composeLocalReply({
      model: "local",
      messages: [{ role: "user", content: "Weather in Paris?" }],
      tools: [
        {
          type: "function",
          function: {
            name: "get_weather",
            parameters: { type: "object", properties: { city: { type: "string" } }, required: ["city"] },
          },
        },
      ],
      tool_choice: "required",
    } as never);
    expect(reply.toolCall?.function).toEqual({ name: "get_weather", arguments: '{"city":"example"}' });
  });
});
