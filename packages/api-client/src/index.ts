export * from "./error.ts";
export * from "./health.ts";
export * from "./versions.ts";
