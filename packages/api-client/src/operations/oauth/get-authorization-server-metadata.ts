import { AuthorizationServerMetadataSchema } from "../../oauth.ts";
import { defineOperation } from "../define-operation.ts";

export const getAuthorizationServerMetadataOperation = defineOperation({
  id: "getAuthorizationServerMetadata",
  method: "GET",
  path: "/.well-known/oauth-authorization-server",
  scope: "public",
  summary: "Authorization server metadata",
  description: "RFC 8414 metadata: issuer, token endpoint, JWKS, grant types and scopes.",
  tags: ["OAuth"],
  responses: { 200: { description: "The metadata.", json: AuthorizationServerMetadataSchema } },
  errorShape: "oauth",
  errors: {
    400: { description: "`invalid_request`: e.g. an unknown `x-api-version`.", codes: ["invalid_request"] },
    500: { description: "`server_error`.", codes: ["server_error"] },
  },
});
