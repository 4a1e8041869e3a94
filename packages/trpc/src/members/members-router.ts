import { router } from "../procedure.ts";

export const membersRouter = router({});
