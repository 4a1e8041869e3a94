import { z } from "zod";

/** GET /v1/models/{id}; `shutdown_date` (YYYY-MM-DD) only on models scheduled for retirement. */
export const ModelSchema = z.object({
  id: z.string(),
  object: z.literal("model"),
  created: z.number().int(),
  owned_by: z.string(),
  shutdown_date: z.string().optional(),
});
export type Model = z.infer<typeof ModelSchema>;

/** GET /v1/models */
export const ModelListSchema = z.object({ object: z.literal("list"), data: z.array(ModelSchema) });
export type ModelList = z.infer<typeof ModelListSchema>;
