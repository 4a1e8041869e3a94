import { z } from "zod";

/** `{file_id}`; an id that cannot be one of ours is answered as an unknown file (404), not a 400. */
export const FileIdParamsSchema = z.object({
  file_id: z.string().describe("The file's id, e.g. `file-abc123`."),
});
