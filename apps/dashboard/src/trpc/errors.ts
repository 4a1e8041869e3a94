import type { AppRouter, ErrorDetails } from "@dsc/trpc";
import { TRPCClientError } from "@trpc/client";
import type { FieldValues, Path, UseFormSetError } from "react-hook-form";

type DashboardError = TRPCClientError<AppRouter>;

function details(error: unknown): (ErrorDetails & { httpStatus?: number }) | null {
  return error instanceof TRPCClientError
    ? ((error as DashboardError).data as ErrorDetails & { httpStatus?: number })
    : null;
}

/** A sentence for people: the server's message for 4xx, a generic one otherwise. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const status = details(error)?.httpStatus;
    if (status === 401) return "Your session has ended. Sign in again.";
    if (status === 403) return "Your role may not do this.";
    return capitalise(error.message);
  }
  return "The dashboard could not reach its server. Check your connection and try again.";
}

/**
 * Puts a server error next to the field it concerns (the domain's `param`, or the schema's
 * field errors); returns the message that belongs to no field, for the form's own error line.
 */
export function applyServerError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
): string | null {
  const data = details(error);
  let placed = false;
  for (const [field, messages] of Object.entries(data?.fieldErrors ?? {})) {
    if (fields.includes(field as Path<T>)) {
      setError(field as Path<T>, { message: capitalise(messages[0] ?? "not valid") });
      placed = true;
    }
  }
  if (data?.param && fields.includes(data.param as Path<T>)) {
    setError(data.param as Path<T>, { message: errorMessage(error) });
    return null;
  }
  return placed ? null : errorMessage(error);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
