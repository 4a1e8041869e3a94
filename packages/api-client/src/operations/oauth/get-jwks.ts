import { JwksSchema } from "../../oauth.ts";
import { defineOperation } from "../define-operation.ts";

export const getJwksOperation = defineOperation({
  id: "getJwks",
  method: "GET",
  path: "/.well-known/jwks.json",
  scope: "public",
  summary: "Token signing keys",
  description:
    "The public keys that verify access tokens, newest first. After a rotation the old key stays " +
    "here until the tokens it signed have expired; refetch when a token names an unknown `kid`.",
  tags: ["OAuth"],
  responses: { 200: { description: "A JWK Set.", json: JwksSchema } },
  errorShape: "oauth",
  errors: {
    400: { description: "`invalid_request`: e.g. an unknown `x-api-version`.", codes: ["invalid_request"] },
    500: { description: "`server_error`.", codes: ["server_error"] },
  },
});
