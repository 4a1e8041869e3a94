"use client";

import { InviteMemberInputSchema, type MemberRole } from "@dsc/trpc/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { SecretReveal } from "../../../../components/credentials/secret-reveal.tsx";
import { formatDateTime } from "../../../../components/format.ts";
import { Button } from "../../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../../components/ui/dialog-form.tsx";
import { Field } from "../../../../components/ui/field.tsx";
import { Input } from "../../../../components/ui/input.tsx";
import { Select } from "../../../../components/ui/select.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useFormError } from "../../../../trpc/use-form-error.ts";
import { isMemberRoleName, MEMBER_ROLE_OPTIONS } from "./member-role-options.ts";

interface SentLink {
  email: string;
  link: string;
  expiresAt: Date;
}

/** Invite by address and role. Without SMTP the link is shown here, once, to pass on. */
export function InviteMemberDialog({
  organizationId,
  organizationName,
}: {
  organizationId: string;
  organizationName: string;
}) {
  const [sentLink, setSentLink] = useState<SentLink | null>(null);
  return (
    <>
      <TriggeredDialog
        trigger={<Button variant="secondary">Invite member</Button>}
        title={`Invite to ${organizationName}`}
        description="They join with the role you choose once they accept. The invitation expires in 7 days."
      >
        {(close) => (
          <InviteForm
            organizationId={organizationId}
            onSent={(sent) => {
              close();
              if (sent) setSentLink(sent);
            }}
          />
        )}
      </TriggeredDialog>
      {sentLink ? (
        <SecretReveal
          title={`Invitation for ${sentLink.email}`}
          secretName="invitation link"
          secret={sentLink.link}
          description="No mail server is configured, so send this link to the person yourself. It is shown only this once; the platform keeps only a hash of it."
          warning={`Send it to ${sentLink.email} only: whoever holds it can accept the invitation. It works once, until ${formatDateTime(sentLink.expiresAt)}.`}
          usageHeading="What they do"
          usage={`Open the link, then sign in as ${sentLink.email} or choose a password.`}
          testId="invitation-link"
          onClose={() => setSentLink(null)}
        />
      ) : null}
    </>
  );
}

function InviteForm({
  organizationId,
  onSent,
}: {
  organizationId: string;
  /** the link to show, or null when it went by e-mail */
  onSent: (sent: SentLink | null) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<MemberRole>("DEVELOPER");
  const [emailError, setEmailError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | null>(null);
  const failure = useFormError();
  const mutation = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: async (sent, input) => {
        await queryClient.invalidateQueries({ queryKey: trpc.members.invitations.pathKey() });
        if (sent.link) {
          onSent({ email: input.email.trim().toLowerCase(), link: sent.link, expiresAt: sent.expiresAt });
        } else {
          setNotice(`Invitation e-mailed to ${input.email.trim()}.`);
          setEmail("");
        }
      },
      onError: failure.onError,
    }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => {
        setNotice(null);
        const parsed = InviteMemberInputSchema.safeParse({ organizationId, email, role });
        if (!parsed.success) {
          return setEmailError(parsed.error.issues.find((i) => i.path[0] === "email")?.message);
        }
        setEmailError(undefined);
        mutation.mutate(parsed.data);
      })}
      formError={failure.formError}
      submitLabel="Send invitation"
      isPending={mutation.isPending}
    >
      {notice ? (
        <p role="status" className="text-sm text-success">
          {notice}
        </p>
      ) : null}
      <Field label="E-mail address" error={emailError}>
        {(control) => (
          <Input
            {...control}
            type="email"
            autoComplete="off"
            maxLength={254}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
        )}
      </Field>
      <Field label="Role">
        {(control) => (
          <Select
            {...control}
            value={role}
            onValueChange={(value) => (isMemberRoleName(value) ? setRole(value) : undefined)}
            options={MEMBER_ROLE_OPTIONS}
          />
        )}
      </Field>
    </DialogForm>
  );
}
