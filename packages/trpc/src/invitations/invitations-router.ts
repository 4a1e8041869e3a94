import { router } from "../procedure.ts";

export const invitationsRouter = router({});
