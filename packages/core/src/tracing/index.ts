export * from "./gen-ai-attributes.ts";
export * from "./spans.ts";
