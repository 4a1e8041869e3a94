import { router } from "../procedure.ts";

export const passwordResetRouter = router({});
