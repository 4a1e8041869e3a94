import { router } from "../procedure.ts";

export const signupRouter = router({});
