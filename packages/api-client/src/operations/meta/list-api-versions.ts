import { ApiVersionListSchema } from "../../versions.ts";
import { defineOperation } from "../define-operation.ts";

export const listApiVersionsOperation = defineOperation({
  id: "listApiVersions",
  method: "GET",
  path: "/v1/versions",
  scope: "public",
  summary: "API versions",
  description: "Released, deprecated and sunset dates of each version; Deprecation headers link here.",
  tags: ["Meta"],
  responses: { 200: { description: "The version table.", json: ApiVersionListSchema } },
  // no credentials, but the version negotiation and the HTTPS rule of /v1 apply
  errors: { 400: { codes: ["unsupported_api_version"] }, 403: {}, 500: {} },
});
