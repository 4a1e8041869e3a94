import { z } from "zod";
import { DeletionRequestSchema } from "../../compliance.ts";
import { defineOperation } from "../define-operation.ts";

export const retrieveDeletionRequestOperation = defineOperation({
  id: "retrieveDeletionRequest",
  method: "GET",
  path: "/v1/deletion_requests/{id}",
  scope: "users:delete",
  summary: "Retrieve a deletion request",
  tags: ["Compliance"],
  // an id that cannot be one of ours is an unknown request (404), not a 400
  params: z.object({ id: z.string().describe("`delreq_…`") }),
  responses: {
    200: { description: "Its status and, once done, its report.", json: DeletionRequestSchema },
  },
  errors: { 400: {}, 401: {}, 403: {}, 404: { codes: ["not_found"] }, 429: {}, 500: {}, 503: {} },
});
