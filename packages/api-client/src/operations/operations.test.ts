import { SCOPES } from "@dsc/vocabulary";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildOpenApiDocument } from "../openapi.ts";
import { defineOperation, type OperationDefinition } from "./define-operation.ts";
import { OPERATIONS } from "./index.ts";
import { operationPath, queryString } from "./operation-url.ts";

describe("OPERATIONS", () => {
  it("has one operation per id and per method and path", () => {
    expect(new Set(OPERATIONS.map((o) => o.id)).size).toBe(OPERATIONS.length);
    expect(new Set(OPERATIONS.map((o) => `${o.method} ${o.path}`)).size).toBe(OPERATIONS.length);
  });

  it("takes every scope from the vocabulary, or is public", () => {
    for (const operation of OPERATIONS) {
      expect([...SCOPES, "public"], operation.id).toContain(operation.scope);
    }
  });

  it("answers errors with declared statuses only, and the token endpoint alone takes client credentials", () => {
    for (const operation of OPERATIONS) {
      for (const status of Object.keys(operation.errors)) {
        expect(Number(status), operation.id).toBeGreaterThanOrEqual(400);
        expect(operation.responses, operation.id).not.toHaveProperty(status);
      }
      expect(Boolean(operation.acceptsClientBasic), operation.id).toBe(operation.id === "createAccessToken");
    }
  });

  it("is what the OpenAPI document lists, under tags the document describes", () => {
    const document = buildOpenApiDocument();
    const tags = document.tags.map((tag) => tag.name);
    for (const operation of OPERATIONS) {
      const documented = document.paths[operation.path]?.[operation.method.toLowerCase() as "get"];
      expect(documented?.operationId, operation.id).toBe(operation.id);
      expect(documented?.["x-scope"], operation.id).toBe(operation.scope);
      for (const tag of operation.tags) expect(tags, operation.id).toContain(tag);
    }
  });

  it("refuses a definition whose params do not name the path's parameters", () => {
    const base: Omit<OperationDefinition, "path"> = {
      id: "x",
      method: "GET",
      scope: "public",
      summary: "x",
      tags: [],
      responses: {},
      errors: {},
    };
    expect(() => defineOperation({ ...base, path: "/v1/x/{id}" })).toThrow(/path parameters/);
    expect(() =>
      defineOperation({ ...base, path: "/v1/x/{id}", params: z.object({ other: z.string() }) }),
    ).toThrow(/path parameters/);
  });

  it("builds a call's path and query", () => {
    const retrieve = OPERATIONS.find((o) => o.id === "retrieveModel");
    if (!retrieve) throw new Error("no retrieveModel");
    expect(operationPath(retrieve, { model: "a/b c" })).toBe("/v1/models/a%2Fb%20c");
    expect(() => operationPath(retrieve)).toThrow(/model/);
    expect(queryString({ limit: 2, after: undefined, order: "asc" })).toBe("?limit=2&order=asc");
    expect(queryString({})).toBe("");
  });
});
