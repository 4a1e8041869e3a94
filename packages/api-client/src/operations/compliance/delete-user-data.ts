import { DeletionRequestSchema } from "../../compliance.ts";
import { defineOperation } from "../define-operation.ts";
import { EndUserParamsSchema } from "./end-user-params.ts";

export const deleteUserDataOperation = defineOperation({
  id: "deleteUserData",
  method: "DELETE",
  path: "/v1/users/{user}",
  scope: "users:delete",
  summary: "Erase an end user's data",
  description:
    "Opens a GDPR/CCPA erasure of the user's logs, files and cached answers, due 72 hours later; " +
    "returns the open request instead while one is pending.",
  tags: ["Compliance"],
  params: EndUserParamsSchema,
  responses: { 202: { description: "The deletion request.", json: DeletionRequestSchema } },
  // a body is not needed, but one that is sent must be JSON and within the limit (413, 415)
  errors: {
    400: { codes: ["invalid_value"] },
    401: {},
    403: {},
    413: {},
    415: {},
    429: {},
    500: {},
    503: {},
  },
});
