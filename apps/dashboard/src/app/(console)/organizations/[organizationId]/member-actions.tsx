"use client";

import { MEMBER_ROLE_LABELS, type MemberRole } from "@dsc/trpc/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../../components/ui/dialog-form.tsx";
import { Field } from "../../../../components/ui/field.tsx";
import { Select } from "../../../../components/ui/select.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useFormError } from "../../../../trpc/use-form-error.ts";
import { isMemberRoleName, MEMBER_ROLE_OPTIONS } from "./member-role-options.ts";

export interface MemberFacts {
  organizationId: string;
  userId: string;
  /** name or address */
  label: string;
  role: MemberRole;
}

/**
 * An owner's or admin's actions on one member: another role, ownership handed over (owners,
 * to someone else), removal. Each is confirmed; the server keeps the last owner.
 */
export function MemberActions({ member, canTransfer }: { member: MemberFacts; canTransfer: boolean }) {
  return (
    <div className="flex justify-end gap-2">
      <TriggeredDialog
        trigger={
          <Button variant="secondary" size="sm" aria-label={`Change the role of ${member.label}`}>
            Change role
          </Button>
        }
        title={`Change the role of ${member.label}`}
        description={`Now ${MEMBER_ROLE_LABELS[member.role]}. The change applies from their next request.`}
      >
        {(close) => <ChangeRoleForm member={member} onDone={close} />}
      </TriggeredDialog>
      {canTransfer && member.role !== "OWNER" ? (
        <TriggeredDialog
          trigger={
            <Button variant="secondary" size="sm" aria-label={`Hand ownership to ${member.label}`}>
              Make owner
            </Button>
          }
          title={`Hand ownership to ${member.label}?`}
          description="They become an owner, and you become a developer of this organization."
        >
          {(close) => <TransferOwnershipForm member={member} onDone={close} />}
        </TriggeredDialog>
      ) : null}
      <TriggeredDialog
        trigger={
          <Button variant="danger" size="sm" aria-label={`Remove ${member.label}`}>
            Remove
          </Button>
        }
        title={`Remove ${member.label}?`}
        description="They lose access to this organization at once: its keys, clients, files and settings. Their account stays."
      >
        {(close) => <RemoveMemberForm member={member} onDone={close} />}
      </TriggeredDialog>
    </div>
  );
}

function useMembersChanged(onDone: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.organizations.members.pathKey() });
    onDone();
  };
}

function ChangeRoleForm({ member, onDone }: { member: MemberFacts; onDone: () => void }) {
  const trpc = useTRPC();
  const done = useMembersChanged(onDone);
  const [role, setRole] = useState<MemberRole>(member.role);
  const failure = useFormError();
  const mutation = useMutation(
    trpc.members.setRole.mutationOptions({ onSuccess: done, onError: failure.onError }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() =>
        mutation.mutate({ organizationId: member.organizationId, userId: member.userId, role }),
      )}
      formError={failure.formError}
      submitLabel="Save role"
      isPending={mutation.isPending}
    >
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

function TransferOwnershipForm({ member, onDone }: { member: MemberFacts; onDone: () => void }) {
  const trpc = useTRPC();
  const failure = useFormError();
  const mutation = useMutation(
    trpc.members.transferOwnership.mutationOptions({
      // the giver's own role changed: the whole page (and what it offers) follows
      onSuccess: () => {
        onDone();
        window.location.reload();
      },
      onError: failure.onError,
    }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() =>
        mutation.mutate({ organizationId: member.organizationId, toUserId: member.userId }),
      )}
      formError={failure.formError}
      submitLabel="Hand ownership over"
      submitVariant="danger"
      isPending={mutation.isPending}
    >
      <p className="text-sm text-text-muted">
        You can no longer manage members afterwards unless they give it back.
      </p>
    </DialogForm>
  );
}

function RemoveMemberForm({ member, onDone }: { member: MemberFacts; onDone: () => void }) {
  const trpc = useTRPC();
  const done = useMembersChanged(onDone);
  const failure = useFormError();
  const mutation = useMutation(
    trpc.members.remove.mutationOptions({ onSuccess: done, onError: failure.onError }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() =>
        mutation.mutate({ organizationId: member.organizationId, userId: member.userId }),
      )}
      formError={failure.formError}
      submitLabel="Remove member"
      submitVariant="danger"
      isPending={mutation.isPending}
    >
      <p className="text-sm text-text-muted">To give them access again, invite them again.</p>
    </DialogForm>
  );
}

/** Leaving the organization, for every member; the last owner is told to hand ownership over first. */
export function LeaveOrganizationButton({
  organizationId,
  organizationName,
}: {
  organizationId: string;
  organizationName: string;
}) {
  return (
    <TriggeredDialog
      trigger={<Button variant="secondary">Leave organization</Button>}
      title={`Leave ${organizationName}?`}
      description="You lose access to its keys, clients, files and settings. To come back, an owner must invite you again."
    >
      {() => <LeaveForm organizationId={organizationId} />}
    </TriggeredDialog>
  );
}

function LeaveForm({ organizationId }: { organizationId: string }) {
  const trpc = useTRPC();
  const failure = useFormError();
  const mutation = useMutation(
    trpc.account.leaveOrganization.mutationOptions({
      // this page is no longer theirs: start again where every person lands
      onSuccess: () => window.location.assign("/overview"),
      onError: failure.onError,
    }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => mutation.mutate({ organizationId }))}
      formError={failure.formError}
      submitLabel="Leave organization"
      submitVariant="danger"
      isPending={mutation.isPending}
    >
      <p className="text-sm text-text-muted">Your account stays, with your other organizations.</p>
    </DialogForm>
  );
}
