"use client";

import { Button } from "../ui/button.tsx";
import { CopyableValue } from "../ui/copyable-value.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "../ui/dialog.tsx";
import { AlertIcon } from "../ui/icons.tsx";

/**
 * Shows a new secret exactly once, with a copy button and how to use it. The texts default to
 * a credential's (the platform keeps only a hash); a secret kept otherwise says so through them.
 */
export function SecretReveal({
  title,
  secretName,
  secret,
  usage,
  note,
  description = `Copy the ${secretName} now. It is shown only this once; the platform keeps only a hash of it.`,
  warning = "Store it in a secret manager. If it is lost, rotate it for a new one.",
  label = `Your ${secretName}`,
  usageHeading = "Try it",
  testId = "new-secret",
  onClose,
}: {
  title: string;
  secretName: string;
  secret: string;
  usage: string;
  note?: string;
  description?: string;
  warning?: string;
  label?: string;
  usageHeading?: string;
  /** The e2e tests read the secret by this id. */
  testId?: string;
  onClose: () => void;
}) {
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent wide title={title} description={description}>
        <div className="flex flex-col gap-4">
          <div className="flex items-start gap-2 rounded-md border border-notice-border bg-notice-bg px-3 py-2.5 text-sm text-notice-text">
            <AlertIcon className="mt-0.5 size-4 shrink-0" />
            <p>{warning}</p>
          </div>
          <CopyableValue label={label} value={secret} look="secret" testId={testId} />
          {note ? <p className="text-sm text-text-muted">{note}</p> : null}
          <div className="flex flex-col gap-1.5">
            <span className="text-sm font-medium text-text">{usageHeading}</span>
            <pre className="overflow-x-auto rounded-md bg-code-bg px-3 py-2.5 font-mono text-xs leading-relaxed text-text">
              {usage}
            </pre>
          </div>
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button>I have copied it</Button>
          </DialogClose>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
