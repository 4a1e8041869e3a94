"use client";

import { useState } from "react";
import type { FieldValues, Path, UseFormReturn } from "react-hook-form";
import { applyServerError } from "./errors.ts";

/**
 * The outcome of saving a form through a mutation: "saved" after a success, the server's
 * message (and its field errors placed on their fields) after a failure, both cleared when the
 * form is sent again.
 */
export function useSaveOutcome<T extends FieldValues>(form: UseFormReturn<T>, fields: readonly Path<T>[]) {
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  return {
    formError,
    saved,
    setSaved,
    /** a mutation's callbacks; `afterSave` runs with its result once the save is shown (e.g. to refetch) */
    callbacks: <Result>(afterSave: (result: Result) => unknown) => ({
      onSuccess: async (result: Result) => {
        setSaved(true);
        await afterSave(result);
      },
      onError: (error: unknown) => setFormError(applyServerError(error, form.setError, fields)),
    }),
    /** the form's submit handler: validates, clears the last outcome, then sends */
    submit: (send: (values: T) => void) =>
      form.handleSubmit((values) => {
        setFormError(null);
        setSaved(false);
        send(values);
      }),
  };
}

export type SaveOutcome<T extends FieldValues> = ReturnType<typeof useSaveOutcome<T>>;
