import { organizationsRouter } from "./organizations/organizations-router.ts";
import { router } from "./procedure.ts";

/** The dashboard's API; one sub-router per area. */
export const appRouter = router({
  organizations: organizationsRouter,
});

export type AppRouter = typeof appRouter;
