import { Button } from "./button.tsx";

/**
 * The end of a settings form: the saved confirmation and the save button for those who may
 * change the settings, or who may, for those who only read them.
 */
export function SaveFooter({
  canManage,
  isSaved,
  isPending,
  isDirty,
  savedMessage,
  submitLabel,
  readOnlyNote,
}: {
  canManage: boolean;
  isSaved: boolean;
  isPending: boolean;
  isDirty: boolean;
  savedMessage: string;
  submitLabel: string;
  readOnlyNote: string;
}) {
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
