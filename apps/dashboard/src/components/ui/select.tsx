"use client";

import * as RadixSelect from "@radix-ui/react-select";
import { cx } from "./cx.ts";
import { CheckIcon, ChevronDownIcon } from "./icons.tsx";
import { inputClasses } from "./input.tsx";

export interface SelectOption {
  value: string;
  label: string;
  /** shown after the label, muted */
  detail?: string;
}

/** A listbox-style select (Radix): typeahead, keyboard, and screen-reader support built in. */
export function Select({
  value,
  onValueChange,
  options,
  placeholder = "Choose…",
  id,
  className,
  disabled,
  "aria-invalid": ariaInvalid,
  "aria-describedby": ariaDescribedBy,
  "aria-label": ariaLabel,
}: {
  value: string | undefined;
  onValueChange: (value: string) => void;
  options: SelectOption[];
  placeholder?: string;
  id?: string;
  className?: string;
  disabled?: boolean;
  "aria-invalid"?: boolean;
  "aria-describedby"?: string;
  "aria-label"?: string;
}) {
  return (
    <RadixSelect.Root value={value || undefined} onValueChange={onValueChange} disabled={disabled}>
      <RadixSelect.Trigger
        id={id}
        aria-invalid={ariaInvalid}
        aria-describedby={ariaDescribedBy}
        aria-label={ariaLabel}
        className={cx(
          inputClasses,
          "flex w-full items-center justify-between gap-2 text-left cursor-pointer",
          className,
        )}
      >
        <span className="truncate">
          <RadixSelect.Value placeholder={<span className="text-text-muted">{placeholder}</span>} />
        </span>
        <RadixSelect.Icon>
          <ChevronDownIcon className="size-4 text-text-muted" />
        </RadixSelect.Icon>
      </RadixSelect.Trigger>
      <RadixSelect.Portal>
        <RadixSelect.Content
          position="popper"
          sideOffset={4}
          className="z-50 max-h-[min(22rem,var(--radix-select-content-available-height))] min-w-[var(--radix-select-trigger-width)] overflow-hidden rounded-md border border-border bg-surface shadow-[var(--shadow-popover)]"
        >
          <RadixSelect.Viewport className="p-1">
            {options.map((option) => (
              <RadixSelect.Item
                key={option.value}
                value={option.value}
                className="relative flex cursor-pointer select-none items-center gap-2 rounded-sm py-2 pr-3 pl-8 text-sm text-text outline-none data-[highlighted]:bg-accent-soft data-[disabled]:opacity-50"
              >
                <RadixSelect.ItemIndicator className="absolute left-2 inline-flex">
                  <CheckIcon className="size-4 text-accent" />
                </RadixSelect.ItemIndicator>
                <RadixSelect.ItemText>{option.label}</RadixSelect.ItemText>
                {option.detail ? (
                  <span className="ml-auto pl-3 text-xs text-text-muted">{option.detail}</span>
                ) : null}
              </RadixSelect.Item>
            ))}
          </RadixSelect.Viewport>
        </RadixSelect.Content>
      </RadixSelect.Portal>
    </RadixSelect.Root>
  );
}
