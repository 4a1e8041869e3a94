"use client";

import type { FormEventHandler, ReactNode } from "react";
import { Button, type ButtonProps } from "./button.tsx";
import { DialogClose, DialogFooter } from "./dialog.tsx";
import { FormError } from "./field.tsx";

/** The form of a dialog: the server's message first, the fields, then Cancel and the submit button. */
export function DialogForm({
  onSubmit,
  formError,
  submitLabel,
  submitVariant = "primary",
  isPending,
  children,
}: {
  onSubmit: FormEventHandler<HTMLFormElement>;
  formError: string | null;
  submitLabel: ReactNode;
  submitVariant?: ButtonProps["variant"];
  isPending: boolean;
  children: ReactNode;
}) {
  return (
    <form noValidate className="flex flex-col gap-4" onSubmit={onSubmit}>
      <FormError message={formError} />
      {children}
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <Button type="submit" variant={submitVariant} isPending={isPending}>
          {submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}
