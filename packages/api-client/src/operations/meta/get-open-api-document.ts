import { OpenApiDocumentSchema } from "../../openapi-document.ts";
import { defineOperation } from "../define-operation.ts";

export const getOpenApiDocumentOperation = defineOperation({
  id: "getOpenApiDocument",
  method: "GET",
  path: "/v1/openapi.json",
  scope: "public",
  summary: "This document",
  tags: ["Meta"],
  responses: { 200: { description: "The OpenAPI 3.1 document of the API.", json: OpenApiDocumentSchema } },
  // no credentials, but the version negotiation and the HTTPS rule of /v1 apply
  errors: { 400: { codes: ["unsupported_api_version"] }, 403: {}, 500: {} },
});
