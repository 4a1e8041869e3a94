"use client";

import { Button } from "../../../components/ui/button.tsx";
import { CopyableValue } from "../../../components/ui/copyable-value.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "../../../components/ui/dialog.tsx";
import { AlertIcon } from "../../../components/ui/icons.tsx";

/** A new signing secret, shown this once: the platform keeps it only encrypted, to sign with. */
export function WebhookSecretReveal({
  title,
  secret,
  note,
  onClose,
}: {
  title: string;
  secret: string;
  note?: string;
  onClose: () => void;
}) {
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        wide
        title={title}
        description="Copy the signing secret now. It is shown only this once; the platform keeps it encrypted and never shows it again."
      >
        <div className="flex flex-col gap-4">
          <div className="flex items-start gap-2 rounded-md border border-notice-border bg-notice-bg px-3 py-2.5 text-sm text-notice-text">
            <AlertIcon className="mt-0.5 size-4 shrink-0" />
            <p>Give it to your receiver. If it is lost, rotate it for a new one.</p>
          </div>
          <CopyableValue label="Signing secret" value={secret} look="secret" testId="new-webhook-secret" />
          {note ? <p className="text-sm text-text-muted">{note}</p> : null}
          <div className="flex flex-col gap-1.5">
            <span className="text-sm font-medium text-text">Verify a delivery (Standard Webhooks)</span>
            <pre className="overflow-x-auto rounded-md bg-code-bg px-3 py-2.5 font-mono text-xs leading-relaxed text-text">
              {`import { Webhook } from "standardwebhooks";\nconst event = new Webhook(process.env.WEBHOOK_SECRET).verify(rawBody, headers);`}
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
