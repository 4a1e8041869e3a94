"use client";

import { type FormEvent, type InputHTMLAttributes, useId, useState } from "react";
import { Button } from "./ui/button.tsx";
import { Input } from "./ui/input.tsx";

/** A labelled text filter of a list's toolbar; ids are pasted whole, so nothing is corrected. */
export function FilterInput({
  label,
  ...props
}: { label: string; maxLength: number } & Omit<InputHTMLAttributes<HTMLInputElement>, "className" | "id">) {
  const id = useId();
  return (
    <div className="flex w-44 flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-text-muted">
        {label}
      </label>
      <Input id={id} autoComplete="off" spellCheck={false} {...props} />
    </div>
  );
}

/**
 * Filters typed into a form and applied only on submit, so that the list is not read again at
 * every keystroke: `field` binds an input to the draft, `apply` is the form's submit handler.
 */
export function useDraftFilters<Fields extends { [Name in keyof Fields]: string }>(initial: Fields) {
  const [draft, setDraft] = useState(initial);
  const [applied, setApplied] = useState(initial);
  const field = (name: keyof Fields) => ({
    value: draft[name],
    onChange: (event: { target: { value: string } }) =>
      setDraft((current) => ({ ...current, [name]: event.target.value })),
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setApplied(draft);
  };
  return { applied, field, apply };
}

type FieldBinding = { value: string; onChange: (event: { target: { value: string } }) => void };

/** The From and To days (UTC, as the whole dashboard counts them) that end a filter form, and its submit. */
export function DayRangeAndApply({
  from,
  to,
  maxLength,
}: {
  from: FieldBinding;
  to: FieldBinding;
  maxLength: number;
}) {
  return (
    <>
      <FilterInput maxLength={maxLength} label="From (UTC)" type="date" {...from} />
      <FilterInput maxLength={maxLength} label="To (UTC)" type="date" {...to} />
      <Button type="submit" variant="secondary">
        Apply filters
      </Button>
    </>
  );
}
