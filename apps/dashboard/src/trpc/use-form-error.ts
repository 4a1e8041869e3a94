"use client";

import { type FormEvent, useState } from "react";
import { errorMessage } from "./errors.ts";

/**
 * The error of a one-step dialog form: cleared when the form is sent again, set from the
 * mutation's failure. `submit` wraps the handler so that the page does not reload.
 */
export function useFormError() {
  const [formError, setFormError] = useState<string | null>(null);
  return {
    formError,
    onError: (error: unknown) => setFormError(errorMessage(error)),
    submit: (send: () => void) => (event: FormEvent) => {
      event.preventDefault();
      setFormError(null);
      send();
    },
  };
}
