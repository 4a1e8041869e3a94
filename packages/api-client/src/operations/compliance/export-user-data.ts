import { UserExportSchema } from "../../compliance.ts";
import { defineOperation } from "../define-operation.ts";
import { EndUserParamsSchema } from "./end-user-params.ts";

export const exportUserDataOperation = defineOperation({
  id: "exportUserData",
  method: "GET",
  path: "/v1/users/{user}/export",
  scope: "users:export",
  summary: "Export an end user's data",
  tags: ["Compliance"],
  params: EndUserParamsSchema,
  responses: { 200: { description: "The user's logs and file metadata.", json: UserExportSchema } },
  errors: { 400: { codes: ["invalid_value"] }, 401: {}, 403: {}, 429: {}, 500: {}, 503: {} },
});
