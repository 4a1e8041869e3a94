export * from "./access.ts";
export * from "./audit-trail.ts";
export * from "./data-protection.ts";
export * from "./error-codes.ts";
export * from "./files.ts";
export * from "./organizations.ts";
export * from "./usage-analytics.ts";
export * from "./webhooks.ts";
