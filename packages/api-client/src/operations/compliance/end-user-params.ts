import { z } from "zod";
import { EndUserIdSchema } from "../../identifiers.ts";

/** `{user}`: refused by the one schema that refuses it in chat and uploads. */
export const EndUserParamsSchema = z.object({
  user: EndUserIdSchema.describe(
    "The end-user id your application sends as `user` in chat requests, exactly as sent " +
      "(percent-encoded in the path).",
  ),
});
