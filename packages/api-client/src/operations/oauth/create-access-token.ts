import { TokenRequestSchema, TokenResponseSchema } from "../../oauth.ts";
import { defineOperation } from "../define-operation.ts";

export const createAccessTokenOperation = defineOperation({
  id: "createAccessToken",
  method: "POST",
  path: "/oauth2/token",
  scope: "public",
  summary: "Get an access token",
  description:
    "The client credentials grant: exchanges an OAuth client's id and secret for a short-lived " +
    "access token (a JWT) that works wherever an API key does. Scopes can be narrowed with " +
    "`scope`. Repeated failed client authentications are refused for a while (429 `slow_down`).",
  tags: ["OAuth"],
  acceptsClientBasic: true,
  // parsed by the OAuth scope itself, so that its refusals are in OAuth's shape
  body: { kind: "form-urlencoded", schema: TokenRequestSchema, alsoAccepts: ["json"] },
  responses: {
    200: { description: "The token; never cached (`Cache-Control: no-store`).", json: TokenResponseSchema },
  },
  errorShape: "oauth",
  errors: {
    400: {
      description:
        "`invalid_request`, `unsupported_grant_type` (only `client_credentials`) or `invalid_scope`.",
      codes: ["invalid_request", "unsupported_grant_type", "invalid_scope"],
    },
    401: {
      description: "`invalid_client`: unknown, revoked or expired client, or a wrong secret.",
      codes: ["invalid_client"],
      headers: {
        "www-authenticate": { schema: { type: "string" }, description: '`Basic realm="oauth2"`' },
      },
    },
    403: {
      description: "`invalid_request`: client secrets are only accepted over HTTPS.",
      codes: ["invalid_request"],
    },
    413: {
      description: "`invalid_request`: the body is larger than any token request.",
      codes: ["invalid_request"],
    },
    415: {
      description: "`invalid_request`: the body is neither form-encoded nor JSON.",
      codes: ["invalid_request"],
    },
    429: {
      description: "`slow_down`: too many failed client authentications.",
      codes: ["slow_down"],
      headers: { "retry-after": { schema: { type: "integer" }, description: "Seconds to wait." } },
    },
    500: { description: "`server_error`; the description never holds details.", codes: ["server_error"] },
  },
});
