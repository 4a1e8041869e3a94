import { type DomainErrorCode, isDomainError, type Role } from "@dsc/core";
import { initTRPC, TRPCError } from "@trpc/server";
import type { TrpcContext } from "./context.ts";

/** Every procedure's declared rule; the RBAC matrix in docs/rbac.md is read from it. */
export interface ProcedureMeta {
  roles: Role[];
}

const t = initTRPC.context<TrpcContext>().meta<ProcedureMeta>().create();

export const router = t.router;

const TRPC_CODES: Record<DomainErrorCode, TRPCError["code"]> = {
  invalid: "BAD_REQUEST",
  unauthenticated: "UNAUTHORIZED",
  forbidden: "FORBIDDEN",
  not_found: "NOT_FOUND",
  conflict: "CONFLICT",
  rate_limited: "TOO_MANY_REQUESTS",
  quota_exceeded: "TOO_MANY_REQUESTS",
  payload_too_large: "PAYLOAD_TOO_LARGE",
  unavailable: "SERVICE_UNAVAILABLE",
};

/** Domain errors become tRPC errors once, here; anything else is an opaque 500. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODES[cause.code], message: cause.message, cause });
  }
  return result;
});

const authorize = t.middleware(({ ctx, meta, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in first" });
  if (!meta?.roles.includes(ctx.user.role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "your role may not do this" });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/**
 * The only way to build a dashboard procedure: it names the roles that may call it. There
 * is deliberately no unguarded procedure export, so a procedure without a rule cannot exist.
 */
export function allowRoles(...roles: [Role, ...Role[]]) {
  return t.procedure.meta({ roles }).use(mapDomainErrors).use(authorize);
}
