"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { Field } from "./ui/field.tsx";
import { Input } from "./ui/input.tsx";

/**
 * A new password typed twice, so that a slip is caught before anyone has to sign in with it.
 * The schema behind the form says what "at least 12 characters" and "the same twice" mean.
 */
export function NewPasswordFields({
  password,
  confirmPassword,
  passwordError,
  confirmPasswordError,
  autoFocus,
}: {
  password: UseFormRegisterReturn;
  confirmPassword: UseFormRegisterReturn;
  passwordError: string | undefined;
  confirmPasswordError: string | undefined;
  autoFocus?: boolean;
}) {
  return (
    <>
      <Field label="New password" hint="At least 12 characters." error={passwordError}>
        {(control) => (
          <Input
            {...control}
            type="password"
            autoFocus={autoFocus}
            autoComplete="new-password"
            {...password}
          />
        )}
      </Field>
      <Field label="New password again" error={confirmPasswordError}>
        {(control) => <Input {...control} type="password" autoComplete="new-password" {...confirmPassword} />}
      </Field>
    </>
  );
}
