import type { ReactNode } from "react";
import type { FieldValues, UseFormReturn } from "react-hook-form";
import type { SaveOutcome } from "../../trpc/use-save-outcome.ts";
import { Button } from "./button.tsx";
import { FormError } from "./field.tsx";

/**
 * The end of a settings form: the saved confirmation and the save button for those who may
 * change the settings, or who may, for those who only read them.
 */
interface SaveFooterProps {
  canManage: boolean;
  isSaved: boolean;
  isPending: boolean;
  isDirty: boolean;
  savedMessage: string;
  submitLabel: string;
  readOnlyNote: string;
}

function SaveFooter({
  canManage,
  isSaved,
  isPending,
  isDirty,
  savedMessage,
  submitLabel,
  readOnlyNote,
}: SaveFooterProps) {
  if (!canManage) return <p className="text-sm text-text-muted">{readOnlyNote}</p>;
  return (
    <div className="flex items-center justify-between gap-3">
      <p aria-live="polite" className="text-sm text-success">
        {isSaved ? savedMessage : ""}
      </p>
      <Button type="submit" isPending={isPending} disabled={!isDirty}>
        {submitLabel}
      </Button>
    </div>
  );
}

/** What a settings form says: after a save, on its button, and to those who may only read it. */
export interface SaveTexts {
  saved: string;
  submit: string;
  readOnly: string;
}

/**
 * A settings form saved through one mutation: the server's message first, the fields, then
 * the SaveFooter, whose button is live once something changed.
 */
export function SaveForm<T extends FieldValues>({
  form,
  outcome,
  mutation,
  canManage,
  texts,
  children,
}: {
  form: UseFormReturn<T>;
  outcome: SaveOutcome<T>;
  mutation: { mutate: (values: T) => void; isPending: boolean };
  canManage: boolean;
  texts: SaveTexts;
  children: ReactNode;
}) {
  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={outcome.submit((values) => mutation.mutate(values))}
    >
      <FormError message={outcome.formError} />
      {children}
      <SaveFooter
        canManage={canManage}
        isSaved={outcome.saved}
        isPending={mutation.isPending}
        isDirty={form.formState.isDirty}
        savedMessage={texts.saved}
        submitLabel={texts.submit}
        readOnlyNote={texts.readOnly}
      />
    </form>
  );
}
