/*
 * The public endpoints a fuzz run covers, and the valid request of each: what every case
 * starts from before one mutation is applied.
 */

/** What a valid request needs: a caller's credentials and ids that exist. */
export interface FuzzTarget {
  /** an API key with every scope, on a tier whose limits a fuzz run cannot reach */
  apiKey: string;
  oauthClient: { id: string; secret: string };
  modelId: string;
  fileId: string;
  deletionRequestId: string;
  /** the subject of the export, erasure and upload cases: a file and one small chat turn */
  endUser: string;
  /**
   * the `user` of chat cases, another subject, so that exporting endUser does not read back
   * every huge turn the run sends (which would make each export case take seconds)
   */
  chatUser: string;
}

type Auth = "bearer" | "none" | "client";
type BodyKind = "none" | "json" | "form" | "multipart";

export interface Endpoint {
  name: string;
  method: string;
  /** the route as Fastify registers it (the suite checks that every route has an endpoint) */
  route: string;
  auth: Auth;
  body: BodyKind;
  /** the value of the route's one path parameter in a valid request */
  param?: (target: FuzzTarget) => string;
  query?: string;
  /** the valid body (JSON value, or form pairs) */
  validBody?: (target: FuzzTarget) => unknown;
}

export const chatBody = (target: FuzzTarget, stream: boolean) => ({
  model: target.modelId,
  messages: [
    { role: "system", content: "Answer briefly." },
    { role: "user", content: [{ type: "text", text: "Hello there" }] },
  ],
  user: target.chatUser,
  max_tokens: 16,
  // deterministic, so that the response cache (key, lookup, write) is on the fuzzed path too
  temperature: stream ? 0.5 : 0,
  ...(stream && { stream: true, stream_options: { include_usage: true } }),
});

const tokenBody = (target: FuzzTarget) => ({
  grant_type: "client_credentials",
  client_id: target.oauthClient.id,
  client_secret: target.oauthClient.secret,
  scope: "chat",
});

export const ENDPOINTS: readonly Endpoint[] = [
  { name: "GET /v1/models", method: "GET", route: "/v1/models", auth: "bearer", body: "none" },
  {
    name: "GET /v1/models/{model}",
    method: "GET",
    route: "/v1/models/:model",
    auth: "bearer",
    body: "none",
    param: (t) => t.modelId,
  },
  {
    name: "POST /v1/chat/completions",
    method: "POST",
    route: "/v1/chat/completions",
    auth: "bearer",
    body: "json",
    validBody: (t) => chatBody(t, false),
  },
  {
    name: "POST /v1/chat/completions (stream)",
    method: "POST",
    route: "/v1/chat/completions",
    auth: "bearer",
    body: "json",
    validBody: (t) => chatBody(t, true),
  },
  { name: "POST /v1/files", method: "POST", route: "/v1/files", auth: "bearer", body: "multipart" },
  {
    name: "GET /v1/files",
    method: "GET",
    route: "/v1/files",
    auth: "bearer",
    body: "none",
    query: "?limit=2&order=asc&purpose=assistants",
  },
  {
    name: "GET /v1/files/{id}",
    method: "GET",
    route: "/v1/files/:file_id",
    auth: "bearer",
    body: "none",
    param: (t) => t.fileId,
  },
  {
    name: "GET /v1/files/{id}/content",
    method: "GET",
    route: "/v1/files/:file_id/content",
    auth: "bearer",
    body: "none",
    param: (t) => t.fileId,
  },
  {
    name: "DELETE /v1/files/{id}",
    method: "DELETE",
    route: "/v1/files/:file_id",
    auth: "bearer",
    body: "none",
    // a well-formed id of no file: the real one stays for the other endpoints' cases
    param: () => "file-00000000000000000000000000",
  },
  {
    name: "POST /oauth2/token (form)",
    method: "POST",
    route: "/oauth2/token",
    auth: "client",
    body: "form",
    validBody: (t) => Object.entries(tokenBody(t)),
  },
  {
    name: "POST /oauth2/token (JSON)",
    method: "POST",
    route: "/oauth2/token",
    auth: "client",
    body: "json",
    validBody: tokenBody,
  },
  {
    name: "DELETE /v1/users/{user}",
    method: "DELETE",
    route: "/v1/users/:user",
    auth: "bearer",
    body: "none",
    param: (t) => t.endUser,
  },
  {
    name: "GET /v1/users/{user}/export",
    method: "GET",
    route: "/v1/users/:user/export",
    auth: "bearer",
    body: "none",
    param: (t) => t.endUser,
  },
  {
    name: "GET /v1/deletion_requests/{id}",
    method: "GET",
    route: "/v1/deletion_requests/:id",
    auth: "bearer",
    body: "none",
    param: (t) => t.deletionRequestId,
  },
  { name: "GET /v1/versions", method: "GET", route: "/v1/versions", auth: "none", body: "none" },
  { name: "GET /v1/openapi.json", method: "GET", route: "/v1/openapi.json", auth: "none", body: "none" },
  {
    name: "GET /.well-known/jwks.json",
    method: "GET",
    route: "/.well-known/jwks.json",
    auth: "none",
    body: "none",
  },
  {
    name: "GET /.well-known/oauth-authorization-server",
    method: "GET",
    route: "/.well-known/oauth-authorization-server",
    auth: "none",
    body: "none",
  },
  { name: "GET /healthz", method: "GET", route: "/healthz", auth: "none", body: "none" },
  { name: "GET /readyz", method: "GET", route: "/readyz", auth: "none", body: "none" },
  { name: "GET /metrics", method: "GET", route: "/metrics", auth: "none", body: "none" },
  {
    name: "GET /internal/deployments/health",
    method: "GET",
    route: "/internal/deployments/health",
    auth: "none",
    body: "none",
  },
];
