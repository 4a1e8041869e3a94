export * from "./chat.ts";
export * from "./error.ts";
export * from "./health.ts";
export * from "./models.ts";
export * from "./versions.ts";
