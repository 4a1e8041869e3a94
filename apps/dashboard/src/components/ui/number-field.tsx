"use client";

import type { ReactNode } from "react";
import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "./field.tsx";
import { Input } from "./input.tsx";

/** A labelled whole-number input of a form (counts, limits, days): at least 1. */
export function NumberField({
  label,
  hint,
  error,
  max,
  placeholder,
  registration,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  max?: number;
  placeholder?: string;
  /** the form's `register(name, { setValueAs })` for this field */
  registration: UseFormRegisterReturn;
}) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(control) => (
        <Input
          {...control}
          type="number"
          inputMode="numeric"
          min={1}
          max={max}
          placeholder={placeholder}
          {...registration}
        />
      )}
    </Field>
  );
}
