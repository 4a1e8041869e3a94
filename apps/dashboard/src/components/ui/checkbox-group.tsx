"use client";

import { type ReactNode, useId } from "react";
import { Checkbox } from "./checkbox.tsx";
import { cx } from "./cx.ts";

export interface CheckboxOption<T extends string> {
  value: T;
  label: ReactNode;
  hint?: ReactNode;
}

/**
 * A set of choices of which any may be picked, each a card with its label and hint. The value
 * keeps the order of `options`, whatever order they were ticked in.
 */
export function CheckboxGroup<T extends string>({
  legend,
  options,
  value,
  onChange,
  error,
  disabled = false,
  className,
}: {
  legend: ReactNode;
  options: readonly CheckboxOption<T>[];
  value: readonly T[];
  onChange: (value: T[]) => void;
  error?: string | undefined;
  disabled?: boolean;
  className?: string;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const toggle = (option: T, isOn: boolean) =>
    onChange(options.map((o) => o.value).filter((v) => (v === option ? isOn : value.includes(v))));
  return (
    <fieldset
      className="flex flex-col gap-2"
      aria-describedby={error ? errorId : undefined}
      disabled={disabled}
    >
      <legend className="mb-1 text-sm font-medium text-text">{legend}</legend>
      <div className={cx("grid gap-2 sm:grid-cols-2", className)}>
        {options.map((option) => {
          const optionId = `${id}-${option.value.replace(/\W/g, "-")}`;
          return (
            <label
              key={option.value}
              htmlFor={optionId}
              className={cx(
                "flex items-start gap-2.5 rounded-md border border-border px-3 py-2",
                disabled ? "cursor-not-allowed opacity-70" : "cursor-pointer hover:bg-surface-muted",
              )}
            >
              <Checkbox
                id={optionId}
                checked={value.includes(option.value)}
                onCheckedChange={(on) => toggle(option.value, on === true)}
                disabled={disabled}
                className="mt-0.5"
              />
              <span className="flex flex-col">
                <span className="text-sm font-medium text-text">{option.label}</span>
                {option.hint ? <span className="text-xs text-text-muted">{option.hint}</span> : null}
              </span>
            </label>
          );
        })}
      </div>
      {error ? (
        <p id={errorId} role="alert" className="text-xs font-medium text-danger">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
