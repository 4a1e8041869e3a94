"use client";

import type { AppRouter } from "@dsc/trpc";
import { type RequestEndUserErasureInput, RequestEndUserErasureInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { formatNumber } from "../../../components/format.ts";
import { OrganizationPicker } from "../../../components/organization-picker.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { ControlledField } from "../../../components/ui/controlled-field.tsx";
import { TriggeredDialog } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { PlusIcon } from "../../../components/ui/icons.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../trpc/use-save-outcome.ts";
import { isSameSubject, pendingEmptyConfirmation } from "./erasure-confirmation.ts";

type MatchingRecords = inferRouterOutputs<AppRouter>["deletionRequests"]["matchingRecords"];

const FIELDS = ["organizationId", "endUserId"] as const;

/** Opens an erasure of one end user of an organization; then shows the request's page. */
export function RequestErasureDialog({ organizationId }: { organizationId: string | undefined }) {
  return (
    <TriggeredDialog
      trigger={
        <Button>
          <PlusIcon className="size-4" /> Erase an end user
        </Button>
      }
      title="Erase an end user"
      description="Deletes the end user's conversation logs and their keys, files and cached answers, and removes their id from usage records. The worker does it within minutes; it cannot be undone."
    >
      {() => <RequestErasureForm organizationId={organizationId} />}
    </TriggeredDialog>
  );
}

/**
 * The form shows how many records the id matches as it is typed; an id that matches nothing
 * (mistyped, or never sent by the organization) is filed only after a second confirmation.
 */
function RequestErasureForm({ organizationId }: { organizationId: string | undefined }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<RequestEndUserErasureInput>({
    resolver: zodResolver(RequestEndUserErasureInputSchema),
    defaultValues: { organizationId: organizationId ?? "", endUserId: "" },
  });
  const outcome = useSaveOutcome(form, FIELDS);
  // the values the person confirmed to file although they match nothing
  const [confirmedEmpty, setConfirmedEmpty] = useState<RequestEndUserErasureInput | null>(null);
  // the values just counted and found to match nothing: "File anyway" files exactly these
  const [checkedEmpty, setCheckedEmpty] = useState<RequestEndUserErasureInput | null>(null);
  const [isChecking, setIsChecking] = useState(false);
  const watched = useWatch({ control: form.control });
  // the question is about the values counted: once the fields say otherwise, it no longer applies
  const awaitingConfirmation = pendingEmptyConfirmation(checkedEmpty, watched);
  // counted once typing pauses, not at every key
  const subject = useSettled(
    { organizationId: watched.organizationId ?? "", endUserId: watched.endUserId ?? "" },
    400,
  );
  const isComplete = RequestEndUserErasureInputSchema.safeParse(subject).success;
  const matching = useQuery({
    ...trpc.deletionRequests.matchingRecords.queryOptions(subject),
    enabled: isComplete,
    retry: false,
  });
  const create = useMutation(
    trpc.deletionRequests.create.mutationOptions(
      outcome.callbacks(async (result: { id: string; created: boolean }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.deletionRequests.pathKey() });
        // an erasure already open for this end user is shown rather than a second one opened
        router.push(`/deletion-requests/${result.id}${result.created ? "" : "?existing=1"}`);
      }),
    ),
  );
  // a failed count is reported like a failed filing: next to the field at fault
  const { onError } = outcome.callbacks(() => {});

  const file = async (values: RequestEndUserErasureInput) => {
    const isConfirmed = confirmedEmpty !== null && isSameSubject(confirmedEmpty, values);
    if (!isConfirmed) {
      let counts: MatchingRecords;
      setIsChecking(true);
      try {
        counts = await queryClient.fetchQuery(trpc.deletionRequests.matchingRecords.queryOptions(values));
      } catch (error) {
        onError(error);
        return;
      } finally {
        setIsChecking(false);
      }
      if (counts.matchesNothing) {
        setCheckedEmpty(values);
        return;
      }
    }
    create.mutate(values);
  };

  return (
    <DialogForm
      onSubmit={outcome.submit((values) => {
        setCheckedEmpty(null);
        void file(values);
      })}
      formError={outcome.formError}
      submitLabel="Request erasure"
      submitVariant="danger"
      isPending={isChecking || create.isPending}
    >
      <ControlledField control={form.control} name="organizationId" label="Organization">
        {(props) => <OrganizationPicker {...props} />}
      </ControlledField>
      <Field
        label="End-user id"
        hint={
          <>
            The <code>user</code> the organization sends with its API calls, exactly as sent.
          </>
        }
        error={form.formState.errors.endUserId?.message}
      >
        {(control) => (
          <Input {...control} autoComplete="off" spellCheck={false} {...form.register("endUserId")} />
        )}
      </Field>
      <MatchingRecordsNote
        counts={isComplete ? matching.data : undefined}
        isLoading={isComplete && matching.isFetching}
      />
      {awaitingConfirmation ? (
        <div
          role="alert"
          className="flex flex-col gap-3 rounded-md border border-warning/40 bg-warning-soft px-4 py-3 text-sm text-text"
        >
          <p className="font-medium">No records match this id. File the request anyway?</p>
          <p className="text-text-muted">
            Check that it is written exactly as the organization sends it, letter case included.
          </p>
          <div className="flex gap-2">
            <Button
              variant="danger"
              size="sm"
              isPending={create.isPending}
              onClick={() => {
                setConfirmedEmpty(awaitingConfirmation);
                setCheckedEmpty(null);
                create.mutate(awaitingConfirmation);
              }}
            >
              File anyway
            </Button>
            <Button variant="secondary" size="sm" onClick={() => setCheckedEmpty(null)}>
              Check the id
            </Button>
          </div>
        </div>
      ) : null}
    </DialogForm>
  );
}

/** What the id matches, in words; nothing until both fields are filled in. */
function MatchingRecordsNote({
  counts,
  isLoading,
}: {
  counts: MatchingRecords | undefined;
  isLoading: boolean;
}) {
  let text = "";
  if (counts?.matchesNothing) {
    text = "No usage events, conversation logs or files name this id in this organization.";
  } else if (counts) {
    const parts = [
      describe(counts.usageEvents, "usage event", "usage events"),
      describe(counts.chatLogs, "conversation log", "conversation logs"),
      describe(counts.files, "file", "files"),
    ];
    text = `This id matches ${parts.join(", ")}. Cached answers cannot be counted; the erasure removes them too.`;
  } else if (isLoading) {
    text = "Counting the records of this id…";
  }
  return (
    <p aria-live="polite" data-testid="matching-records" className="text-sm text-text-muted empty:hidden">
      {text}
    </p>
  );
}

function describe(kind: { count: number; isCapped: boolean }, one: string, many: string): string {
  if (kind.isCapped) return `${formatNumber(kind.count)} or more ${many}`;
  return `${formatNumber(kind.count)} ${kind.count === 1 ? one : many}`;
}

/** `value` once it has stayed the same for `ms` (compared by its JSON). */
function useSettled<T>(value: T, ms: number): T {
  const key = JSON.stringify(value);
  const [settled, setSettled] = useState(value);
  // the key stands for the value: a new object of the same values is no change
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [key, ms]);
  return settled;
}
