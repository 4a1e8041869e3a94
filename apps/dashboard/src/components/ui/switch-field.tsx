"use client";

import type { ReactNode } from "react";
import { type Control, Controller, type FieldPathByValue, type FieldValues } from "react-hook-form";
import { Switch } from "./switch.tsx";

/** An on/off setting: its label and what it means on the left, the switch on the right. */
export function SwitchField({
  id,
  label,
  hint,
  checked,
  onCheckedChange,
  disabled,
}: {
  /** ties the label and hint to the switch; unique on the page */
  id: string;
  label: ReactNode;
  hint: ReactNode;
  checked: boolean;
  onCheckedChange: (checked: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <div className="flex items-start justify-between gap-4 rounded-md border border-border px-3 py-3">
      <div className="flex flex-col gap-0.5">
        <label htmlFor={id} className="text-sm font-medium text-text">
          {label}
        </label>
        <p id={`${id}-hint`} className="text-xs text-text-muted">
          {hint}
        </p>
      </div>
      <Switch
        id={id}
        aria-describedby={`${id}-hint`}
        checked={checked}
        onCheckedChange={onCheckedChange}
        disabled={disabled}
      />
    </div>
  );
}

/** A SwitchField whose state is a boolean field of a form (absent counts as off). */
export function FormSwitchField<Values extends FieldValues>({
  control,
  name,
  ...look
}: {
  control: Control<Values>;
  name: FieldPathByValue<Values, boolean | undefined>;
  id: string;
  label: ReactNode;
  hint: ReactNode;
  disabled?: boolean;
}) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <SwitchField {...look} checked={field.value ?? false} onCheckedChange={field.onChange} />
      )}
    />
  );
}
