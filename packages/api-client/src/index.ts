export * from "./chat.ts";
export * from "./client.ts";
export * from "./error.ts";
export * from "./health.ts";
export * from "./models.ts";
export * from "./openapi.ts";
export * from "./versions.ts";
