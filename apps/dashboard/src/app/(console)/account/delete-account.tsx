"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";

/**
 * Deleting one's own account through a deletion request, confirmed by typing one's address.
 * The request deactivates the person and ends every session, so this browser signs out as well.
 */
export function DeleteAccount({ email }: { email: string }) {
  return (
    <TriggeredDialog
      title="Delete your account?"
      description="This cannot be undone once the erasure has run."
      trigger={<Button variant="danger">Delete my account</Button>}
    >
      {() => <DeleteAccountForm email={email} />}
    </TriggeredDialog>
  );
}

function DeleteAccountForm({ email }: { email: string }) {
  const trpc = useTRPC();
  const [typed, setTyped] = useState("");
  const [hasTried, setHasTried] = useState(false);
  const erase = useMutation(
    trpc.account.requestErasure.mutationOptions({
      onSuccess: async () => {
        await signOut({ redirect: false });
        window.location.assign("/login");
      },
    }),
  );
  const matches = typed.trim().toLowerCase() === email.toLowerCase();
  return (
    <DialogForm
      formError={erase.error ? errorMessage(erase.error) : null}
      submitLabel="Delete my account"
      submitVariant="danger"
      isPending={erase.isPending}
      onSubmit={(event) => {
        event.preventDefault();
        setHasTried(true);
        if (matches) erase.mutate({ confirmEmail: typed });
      }}
    >
      <ul className="ml-5 list-disc space-y-1.5 text-sm text-text">
        <li>
          You are signed out everywhere now and cannot sign in again; your account is erased within 72 hours.
        </li>
        <li>
          An organization you are the only member of is erased with it: its API keys, OAuth clients,
          conversation logs and files. Keys you made in organizations others stay in keep working for them.
        </li>
        <li>If you are the last owner of an organization with other members, hand ownership over first.</li>
      </ul>
      <Field
        label={
          <>
            Type <span className="font-mono">{email}</span> to confirm
          </>
        }
        error={hasTried && !matches ? "Type your e-mail address exactly as shown." : undefined}
      >
        {(control) => (
          <Input
            {...control}
            type="email"
            autoComplete="off"
            value={typed}
            maxLength={254}
            onChange={(event) => setTyped(event.target.value)}
          />
        )}
      </Field>
    </DialogForm>
  );
}
