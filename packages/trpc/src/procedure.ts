import { type AccessRole, type DomainErrorCode, isDomainError } from "@dsc/core";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { TrpcContext } from "./context.ts";

/** Every procedure's declared rule; the RBAC matrix in docs/rbac.md is checked against it. */
export interface ProcedureMeta {
  /** empty for the few procedures anyone may call, signed in or not (see allowAnyone) */
  roles: AccessRole[];
  /** set by allowAnyone: the procedure works without a session */
  anyone?: true;
}

/** What a failed call tells the browser besides its code and message. */
export interface ErrorDetails {
  /** the input field at fault, when the domain named one */
  param: string | null;
  /** per-field messages of an input that failed its schema */
  fieldErrors: Record<string, string[]> | null;
}

const t = initTRPC
  .context<TrpcContext>()
  .meta<ProcedureMeta>()
  .create({
    // Dates and BigInts survive the trip to the browser.
    transformer: superjson,
    isDev: false,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      const fieldErrors = cause instanceof ZodError ? flattenFieldErrors(cause) : null;
      const message =
        error.code === "INTERNAL_SERVER_ERROR"
          ? "Something went wrong on the server. Try again; if it persists, check the dashboard's logs."
          : fieldErrors
            ? "Some fields are not valid."
            : shape.message;
      const details: ErrorDetails = { param: isDomainError(cause) ? cause.param : null, fieldErrors };
      // Never the stack, and for 5xx never the internal message.
      return {
        message,
        code: shape.code,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path, ...details },
      };
    },
  });

function flattenFieldErrors(error: ZodError): Record<string, string[]> {
  const fields: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

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

/** What a person whose password an admin set is told by every procedure but their account's. */
export const MUST_CHANGE_PASSWORD_MESSAGE =
  "An administrator set your password. Choose your own under Account to continue.";

/** What a person of no organization is told by every procedure but their account's. */
export const NO_ORGANIZATION_MESSAGE =
  "You belong to no organization. Accept an invitation, or ask an organization's owner to invite you.";

const authorize = t.middleware(({ ctx, meta, path, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first." });
  const ownAccount = path.startsWith("account.");
  if (ctx.user.role === null) {
    // a person of no organization still has an account: its procedures answer
    if (!ownAccount) throw new TRPCError({ code: "FORBIDDEN", message: NO_ORGANIZATION_MESSAGE });
  } else if (!meta?.roles.includes(ctx.user.role)) {
    throw new TRPCError({ code: "FORBIDDEN", message: "Your role may not do this." });
  }
  // the admin knows this password: nothing but choosing one's own until then
  if (ctx.user.mustChangePassword && !ownAccount) {
    throw new TRPCError({ code: "FORBIDDEN", message: MUST_CHANGE_PASSWORD_MESSAGE });
  }
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/**
 * The only way to build a dashboard procedure: it names the roles that may call it. There
 * is deliberately no unguarded procedure export, so a procedure without a rule cannot exist.
 * The role check runs before the input is parsed, so a refused caller learns nothing from it.
 */
export function allowRoles(...roles: [AccessRole, ...AccessRole[]]) {
  return t.procedure.meta({ roles }).use(mapDomainErrors).use(authorize);
}

/**
 * For the few procedures that must work signed out: signing up, following a link from an
 * e-mail (verification, password reset, invitation). Declared as such, and marked "anyone"
 * in docs/rbac.md; each throttles or checks its link itself.
 */
export function allowAnyone() {
  return t.procedure.meta({ roles: [], anyone: true }).use(mapDomainErrors);
}
