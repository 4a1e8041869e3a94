"use client";

import { POWERFUL_SCOPES, type PowerfulScope } from "@dsc/trpc/schemas";
import { useId } from "react";
import { Checkbox } from "../ui/checkbox.tsx";
import { CheckboxGroup } from "../ui/checkbox-group.tsx";

const POWERFUL_SCOPE_HINTS: Record<PowerfulScope, string> = {
  "users:delete": "Erase an end user's data",
  "users:export": "Export an end user's data",
};

/**
 * The scopes that reach end users' data, apart from the others: a warning, the choices, and,
 * once one is ticked, the box that confirms it. Unticking them all clears the confirmation.
 */
export function PowerfulScopePicker({
  nounPhrase,
  value,
  onChange,
  isConfirmed,
  onConfirmedChange,
  confirmationError,
}: {
  /** "this API key", "this OAuth client" */
  nounPhrase: string;
  value: readonly PowerfulScope[];
  onChange: (value: PowerfulScope[]) => void;
  isConfirmed: boolean;
  onConfirmedChange: (isConfirmed: boolean) => void;
  confirmationError: string | undefined;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  return (
    <div className="flex flex-col gap-2 rounded-md border border-danger/40 p-3">
      <CheckboxGroup
        legend="Powerful scopes"
        options={POWERFUL_SCOPES.map((scope) => ({
          value: scope,
          label: <code className="bg-transparent p-0 text-xs font-semibold">{scope}</code>,
          hint: POWERFUL_SCOPE_HINTS[scope],
        }))}
        value={value}
        onChange={(next) => {
          onChange(next);
          if (next.length === 0) onConfirmedChange(false);
        }}
      />
      <p className="text-xs text-warning">
        Warning: these reach your end users’ data. With <code>users:delete</code> {nounPhrase} can erase an
        end user’s conversations and files; with <code>users:export</code> it can read them decrypted. Grant
        them only to the backend that handles your end users’ requests.
      </p>
      {value.length > 0 ? (
        <div className="flex flex-col gap-1">
          <label
            htmlFor={id}
            className="flex cursor-pointer items-start gap-2.5 text-sm font-medium text-text"
          >
            <Checkbox
              id={id}
              checked={isConfirmed}
              onCheckedChange={(on) => onConfirmedChange(on === true)}
              aria-describedby={confirmationError ? errorId : undefined}
              className="mt-0.5"
            />
            I understand that {nounPhrase} can erase or export end users’ data
          </label>
          {confirmationError ? (
            <p id={errorId} role="alert" className="text-xs font-medium text-danger">
              {confirmationError}
            </p>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
