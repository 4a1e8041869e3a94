"use client";

import { GRACE_CHOICE_NAMES, GRACE_CHOICES, type GraceChoice } from "@dsc/trpc/schemas";
import { useState } from "react";
import { errorMessage } from "../../trpc/errors.ts";
import { formatDateTime } from "../format.ts";
import { Button } from "../ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "../ui/dialog.tsx";
import { DialogForm } from "../ui/dialog-form.tsx";
import { Field, FormError } from "../ui/field.tsx";
import { Select } from "../ui/select.tsx";
import type { CredentialKind, CredentialRow } from "./credential-kind.ts";
import { SecretReveal } from "./secret-reveal.tsx";

/** The credential an action dialog acts on, and how it closes. */
interface CredentialDialogProps {
  kind: CredentialKind;
  row: CredentialRow;
  onClose: () => void;
}

/** Rotation: choose how long the old secret keeps working, then see the new one once. */
export function RotateDialog({ kind, row, onClose }: CredentialDialogProps) {
  const rotate = kind.useRotate();
  const [grace, setGrace] = useState<GraceChoice>("24h");
  const [error, setError] = useState<string | null>(null);
  if (rotate.data) {
    const oldUntil = rotate.data.previousSecretExpiresAt;
    return (
      <SecretReveal
        title={`New ${kind.secretName} for “${row.name}”`}
        secretName={kind.secretName}
        secret={rotate.data.secret}
        usage={kind.usage(rotate.data.secret, row.id)}
        note={
          oldUntil
            ? `The previous ${kind.secretName} keeps working until ${formatDateTime(oldUntil)}.`
            : `The previous ${kind.secretName} has stopped working.`
        }
        onClose={onClose}
      />
    );
  }
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        title={`Rotate “${row.name}”`}
        description={`A new ${kind.secretName} replaces ${row.prefix}. Deploy it, then let the old one run out.`}
      >
        <DialogForm
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            rotate.mutate({ id: row.id, gracePeriod: grace }, { onError: (e) => setError(errorMessage(e)) });
          }}
          formError={error}
          submitLabel="Rotate"
          isPending={rotate.isPending}
        >
          <Field label={`The old ${kind.secretName} keeps working for`}>
            {(control) => (
              <Select
                {...control}
                value={grace}
                onValueChange={(value) => setGrace(value as GraceChoice)}
                options={GRACE_CHOICE_NAMES.map((name) => ({
                  value: name,
                  label: GRACE_CHOICES[name].label,
                }))}
              />
            )}
          </Field>
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}

/** Revocation: it cannot be undone, so it is confirmed by name. */
export function RevokeDialog({ kind, row, onClose }: CredentialDialogProps) {
  const revoke = kind.useRevoke();
  const [error, setError] = useState<string | null>(null);
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        title={`Revoke “${row.name}”?`}
        description={`Requests with ${row.prefix} are refused within a second, on every gateway. This cannot be undone.`}
      >
        <FormError message={error} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Keep it</Button>
          </DialogClose>
          <Button
            variant="danger"
            isPending={revoke.isPending}
            onClick={() =>
              revoke.mutate({ id: row.id }, { onSuccess: onClose, onError: (e) => setError(errorMessage(e)) })
            }
          >
            Revoke {kind.noun}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
