"use client";

import { HOLD_OVERRIDABLE_DELETION_STATUSES, RETRYABLE_DELETION_STATUSES } from "@dsc/trpc/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Button } from "../../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../../components/ui/dialog-form.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useFormError } from "../../../../trpc/use-form-error.ts";

const isOneOf = (statuses: readonly string[], status: string) => statuses.includes(status);

/**
 * What a compliance officer can do with a request that waits for a person: let a held erasure
 * proceed despite the legal hold, or send a failed one back to the queue. Both are confirmed,
 * because both are audited decisions.
 */
export function DeletionRequestActions({ id, status }: { id: string; status: string }) {
  if (isOneOf(HOLD_OVERRIDABLE_DELETION_STATUSES, status)) {
    return (
      <TriggeredDialog
        trigger={
          <Button variant="danger" size="sm">
            Override legal hold
          </Button>
        }
        title="Override the legal hold for this erasure?"
        description="The organization stays under its legal hold, but this subject's data is erased at the worker's next run and cannot be brought back. The decision is audited with the hold's reason."
      >
        {(close) => (
          <ConfirmAction id={id} action="overrideHold" submitLabel="Override legal hold" onDone={close} />
        )}
      </TriggeredDialog>
    );
  }
  if (isOneOf(RETRYABLE_DELETION_STATUSES, status)) {
    return (
      <TriggeredDialog
        trigger={
          <Button variant="secondary" size="sm">
            Retry
          </Button>
        }
        title="Retry this erasure?"
        description="It goes back to the queue with a fresh count of attempts; the worker resumes where it stopped. The retry is audited."
      >
        {(close) => <ConfirmAction id={id} action="retry" submitLabel="Retry" onDone={close} />}
      </TriggeredDialog>
    );
  }
  return null;
}

function ConfirmAction({
  id,
  action,
  submitLabel,
  onDone,
}: {
  id: string;
  action: "overrideHold" | "retry";
  submitLabel: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const failure = useFormError();
  const procedure =
    action === "overrideHold" ? trpc.deletionRequests.overrideHold : trpc.deletionRequests.retry;
  const mutation = useMutation(
    procedure.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.deletionRequests.pathKey() });
        onDone();
      },
      onError: failure.onError,
    }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => {
        mutation.mutate({ id });
      })}
      formError={failure.formError}
      submitLabel={submitLabel}
      submitVariant={action === "overrideHold" ? "danger" : "primary"}
      isPending={mutation.isPending}
    >
      <p className="text-sm text-text-muted">
        Request <code className="text-xs">{id}</code>
      </p>
    </DialogForm>
  );
}
