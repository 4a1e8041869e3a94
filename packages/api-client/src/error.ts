import { z } from "zod";

/** OpenAI's error object, the one error shape of the public API. */
export const ApiErrorSchema = z.object({
  message: z.string(),
  type: z.string(),
  param: z.string().nullable(),
  code: z.string().nullable(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const ErrorResponseSchema = z.object({ error: ApiErrorSchema });
export type ErrorResponse = z.infer<typeof ErrorResponseSchema>;
