"use client";

import type { ReactNode } from "react";
import { type Control, Controller, type FieldPath, type FieldValues, type PathValue } from "react-hook-form";
import { type ControlProps, Field } from "./field.tsx";

/** What a controlled input (a select, a picker) gets: the field's ids, its value and its setter. */
export type ControlledProps<Value> = ControlProps & { value: Value; onValueChange: (value: Value) => void };

/**
 * A labelled form field whose control is not a native input (a select, a picker): the form
 * holds its value, and the field's error comes from the form's state.
 */
export function ControlledField<Values extends FieldValues, Name extends FieldPath<Values>>({
  control,
  name,
  label,
  hint,
  className,
  children,
}: {
  control: Control<Values>;
  name: Name;
  label: ReactNode;
  hint?: ReactNode;
  className?: string;
  children: (props: ControlledProps<PathValue<Values, Name>>) => ReactNode;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field, fieldState }) => (
        <Field label={label} hint={hint} error={fieldState.error?.message} className={className}>
          {(ids) => children({ ...ids, value: field.value, onValueChange: field.onChange })}
        </Field>
      )}
    />
  );
}
