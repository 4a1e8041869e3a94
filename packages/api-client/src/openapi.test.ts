import { describe, expect, it } from "vitest";
import { buildOpenApiDocument, type JsonSchema } from "./openapi.ts";
import { CURRENT_API_VERSION } from "./versions.ts";

const document = buildOpenApiDocument();

/** Resolves a local `$ref` ("#/a/b") in the document; undefined when it points nowhere. */
function resolve(ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = document;
  for (const segment of ref.slice(2).split("/")) {
    const key = segment.replaceAll("~1", "/").replaceAll("~0", "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function collectRefs(node: unknown, refs: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) collectRefs(item, refs);
  else if (typeof node === "object" && node !== null) {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") refs.push(value);
      else collectRefs(value, refs);
    }
  }
  return refs;
}

const deref = (node: unknown) => {
  const ref = (node as { $ref?: string }).$ref;
  return (ref ? resolve(ref) : node) as JsonSchema;
};

const OPERATIONS = [
  { path: "/v1/models", method: "get", operationId: "listModels", scope: "models:read" },
  { path: "/v1/models/{model}", method: "get", operationId: "retrieveModel", scope: "models:read" },
  { path: "/v1/chat/completions", method: "post", operationId: "createChatCompletion", scope: "chat" },
  { path: "/v1/users/{user}", method: "delete", operationId: "deleteUserData", scope: "users:delete" },
  {
    path: "/v1/deletion_requests/{id}",
    method: "get",
    operationId: "retrieveDeletionRequest",
    scope: "users:delete",
  },
  { path: "/v1/users/{user}/export", method: "get", operationId: "exportUserData", scope: "users:export" },
  { path: "/v1/files", method: "post", operationId: "createFile", scope: "files" },
  { path: "/v1/files", method: "get", operationId: "listFiles", scope: "files" },
  { path: "/v1/files/{file_id}", method: "get", operationId: "retrieveFile", scope: "files" },
  { path: "/v1/files/{file_id}", method: "delete", operationId: "deleteFile", scope: "files" },
  { path: "/v1/files/{file_id}/content", method: "get", operationId: "retrieveFileContent", scope: "files" },
  { path: "/v1/versions", method: "get", operationId: "listApiVersions", scope: "public" },
  { path: "/v1/openapi.json", method: "get", operationId: "getOpenApiDocument", scope: "public" },
  { path: "/healthz", method: "get", operationId: "getLiveness", scope: "public" },
  { path: "/readyz", method: "get", operationId: "getReadiness", scope: "public" },
  { path: "/metrics", method: "get", operationId: "getMetrics", scope: "public" },
  {
    path: "/internal/deployments/health",
    method: "get",
    operationId: "getDeploymentHealth",
    scope: "public",
  },
  { path: "/oauth2/token", method: "post", operationId: "createAccessToken", scope: "public" },
  { path: "/.well-known/jwks.json", method: "get", operationId: "getJwks", scope: "public" },
  {
    path: "/.well-known/oauth-authorization-server",
    method: "get",
    operationId: "getAuthorizationServerMetadata",
    scope: "public",
  },
] as const;

const operation = (path: string, method: "get" | "post" | "delete") => {
  const found = document.paths[path]?.[method];
  if (!found) throw new Error(`no ${method} ${path}`);
  return found;
};

describe("buildOpenApiDocument", () => {
  it("is OpenAPI 3.1.0 with the API's title and current version", () => {
    expect(document.openapi).toBe("3.1.0");
    expect(document.info).toMatchObject({ title: "Deep Seek Chat API", version: CURRENT_API_VERSION });
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("has every operation with its operationId, summary, x-scope and security", () => {
    const listed = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method} ${path}`),
    );
    expect(listed.sort()).toEqual(OPERATIONS.map(({ path, method }) => `${method} ${path}`).sort());
    for (const { path, method, operationId, scope } of OPERATIONS) {
      const op = operation(path, method);
      expect(op.operationId, path).toBe(operationId);
      expect(op.summary, path).not.toBe("");
      expect(op["x-scope"], path).toBe(scope);
      // the token endpoint takes the client's credentials as HTTP Basic or in the body
      const clientAuth = path === "/oauth2/token" ? [{ clientBasic: [] }, {}] : null;
      expect(op.security, path).toEqual(clientAuth ?? (scope === "public" ? [] : [{ bearer: [] }]));
    }
  });

  it("documents the token endpoint: form or JSON requests, OAuth's error shape", () => {
    const token = operation("/oauth2/token", "post");
    const request = { schema: { $ref: "#/components/schemas/TokenRequest" } };
    expect(token.requestBody).toEqual({
      required: true,
      content: { "application/x-www-form-urlencoded": request, "application/json": request },
    });
    expect(document.components.securitySchemes.clientBasic).toMatchObject({ type: "http", scheme: "basic" });
    expect(deref(token.responses[200]).content).toEqual({
      "application/json": { schema: { $ref: "#/components/schemas/TokenResponse" } },
    });
    for (const status of ["400", "401", "429"]) {
      expect(deref(token.responses[status]).content, status).toEqual({
        "application/json": { schema: { $ref: "#/components/schemas/OAuthErrorResponse" } },
      });
    }
    const tokenRequest = document.components.schemas.TokenRequest as { required: string[] };
    expect(tokenRequest.required).toEqual(["grant_type"]);
    expect(JSON.stringify(document.components.schemas.Jwks)).toContain("#/components/schemas/PublicJwk");
  });

  it("lets /v1 operations send x-api-version and documents x-request-id and x-api-version on answers", () => {
    expect(document.components.parameters.ApiVersion).toMatchObject({
      name: "x-api-version",
      in: "header",
      required: false,
      example: CURRENT_API_VERSION,
    });
    for (const { path, method } of OPERATIONS.filter((o) => o.scope !== "public")) {
      const op = operation(path, method);
      expect(op.parameters, path).toContainEqual({ $ref: "#/components/parameters/ApiVersion" });
      const success = op.responses[200] ?? op.responses[201] ?? op.responses[202];
      expect(Object.keys(success?.headers as object), path).toEqual(["x-request-id", "x-api-version"]);
    }
    for (const response of Object.values(document.components.responses)) {
      expect(Object.keys(response.headers as object)).toEqual(["x-request-id"]);
    }
  });

  it("takes ChatCompletionRequest and answers JSON or an event stream, errors as ErrorResponse", () => {
    const chat = operation("/v1/chat/completions", "post");
    expect(chat.requestBody).toEqual({
      required: true,
      content: { "application/json": { schema: { $ref: "#/components/schemas/ChatCompletionRequest" } } },
    });
    const ok = chat.responses[200]?.content as Record<string, JsonSchema>;
    expect(ok["application/json"]?.schema).toEqual({ $ref: "#/components/schemas/ChatCompletion" });
    expect(ok["text/event-stream"]?.schema).toMatchObject({ type: "string" });
    expect(JSON.stringify(ok["text/event-stream"])).toContain("data: [DONE]");

    const statuses = ["400", "401", "403", "404", "413", "415", "429", "500", "502", "503", "504"];
    expect(Object.keys(chat.responses).sort()).toEqual(["200", ...statuses]);
    for (const status of statuses) {
      const response = deref(chat.responses[status]);
      expect(response.content, status).toEqual({
        "application/json": { schema: { $ref: "#/components/schemas/ErrorResponse" } },
      });
    }
    expect(deref(operation("/v1/models/{model}", "get").responses[404])).toBe(
      document.components.responses.NotFound,
    );
  });

  it("requires model and messages in a chat request and caps temperature at 2", () => {
    const request = document.components.schemas.ChatCompletionRequest as {
      required: string[];
      properties: Record<string, { anyOf: JsonSchema[] }>;
    };
    expect(request.required).toEqual(["model", "messages"]);
    expect(request.properties.temperature?.anyOf).toContainEqual({ type: "number", minimum: 0, maximum: 2 });
    expect(request.properties.messages).toMatchObject({
      type: "array",
      minItems: 1,
      items: { $ref: "#/components/schemas/ChatMessage" },
    });
  });

  it("resolves every $ref to an existing component, and components are plain schemas", () => {
    const refs = collectRefs(document);
    expect(refs.length).toBeGreaterThan(20);
    for (const ref of new Set(refs)) {
      expect(ref).toMatch(/^#\/components\/(schemas|parameters|headers|responses)\//);
      expect(resolve(ref), ref).toBeDefined();
    }
    for (const [id, schema] of Object.entries(document.components.schemas)) {
      expect(schema, id).not.toHaveProperty("$schema");
      expect(schema, id).not.toHaveProperty("$id");
    }
  });

  it("is deterministic and plain JSON", () => {
    const again = buildOpenApiDocument();
    expect(again).toEqual(document);
    expect(JSON.stringify(again)).toBe(JSON.stringify(document));
    expect(JSON.parse(JSON.stringify(document))).toEqual(document);
  });

  it("names the server when given one", () => {
    expect(document).not.toHaveProperty("servers");
    expect(buildOpenApiDocument({ serverUrl: "https://api.example.com" }).servers).toEqual([
      { url: "https://api.example.com" },
    ]);
  });
});
