"use client";

import { MEMBER_ROLE_LABELS } from "@dsc/trpc/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { formatDateTime } from "../../../../components/format.ts";
import { QueryTable } from "../../../../components/query-table.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../../components/ui/dialog-form.tsx";
import { InboxIcon } from "../../../../components/ui/icons.tsx";
import { EmptyState } from "../../../../components/ui/states.tsx";
import { ActionsTD, TD, TR } from "../../../../components/ui/table.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useFormError } from "../../../../trpc/use-form-error.ts";

/** Invitations still waiting for an answer; those who manage members revoke them here. */
export function PendingInvitations({
  organizationId,
  canRevoke,
}: {
  organizationId: string;
  canRevoke: boolean;
}) {
  const trpc = useTRPC();
  const invitations = useQuery(trpc.members.invitations.queryOptions({ organizationId }));
  return (
    <div className="mt-4 flex flex-col gap-2">
      <h3 className="text-sm font-semibold text-text">Pending invitations</h3>
      <QueryTable
        query={invitations}
        label="Pending invitations"
        loadingLabel="Loading invitations"
        loadingRows={1}
        columns={["Address", "Role", "Invited by", "Expires"]}
        hasActions={canRevoke}
        empty={
          <EmptyState
            title="No pending invitations"
            description="Invitations that wait for an answer are listed here until they are accepted or expire."
            icon={<InboxIcon className="size-6" />}
          />
        }
        row={(invitation) => (
          <TR key={invitation.id}>
            <TD className="font-medium">{invitation.email}</TD>
            <TD>{MEMBER_ROLE_LABELS[invitation.role]}</TD>
            <TD className="text-text-muted">{invitation.invitedBy ?? "—"}</TD>
            <TD className="text-text-muted">{formatDateTime(invitation.expiresAt)}</TD>
            {canRevoke ? (
              <ActionsTD>
                <TriggeredDialog
                  trigger={
                    <Button
                      variant="secondary"
                      size="sm"
                      aria-label={`Revoke the invitation of ${invitation.email}`}
                    >
                      Revoke
                    </Button>
                  }
                  title={`Revoke the invitation of ${invitation.email}?`}
                  description="Its link stops working at once. You can invite them again later."
                >
                  {(close) => (
                    <RevokeForm organizationId={organizationId} invitationId={invitation.id} onDone={close} />
                  )}
                </TriggeredDialog>
              </ActionsTD>
            ) : null}
          </TR>
        )}
      />
    </div>
  );
}

function RevokeForm({
  organizationId,
  invitationId,
  onDone,
}: {
  organizationId: string;
  invitationId: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const failure = useFormError();
  const mutation = useMutation(
    trpc.members.revokeInvitation.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.members.invitations.pathKey() });
        onDone();
      },
      onError: failure.onError,
    }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => mutation.mutate({ organizationId, invitationId }))}
      formError={failure.formError}
      submitLabel="Revoke invitation"
      submitVariant="danger"
      isPending={mutation.isPending}
    >
      <p className="text-sm text-text-muted">Whoever holds the link can no longer join with it.</p>
    </DialogForm>
  );
}
