export { type AppRouter, appRouter } from "./app-router.ts";
export type { AccountsSettings, SessionUser, TrpcContext } from "./context.ts";
export {
  allowAnyone,
  allowRoles,
  createCallerFactory,
  type ErrorDetails,
  type ProcedureMeta,
  router,
} from "./procedure.ts";
