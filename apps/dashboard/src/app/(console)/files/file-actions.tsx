"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "../../../components/format.ts";
import { Button } from "../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useFormError } from "../../../trpc/use-form-error.ts";
import { fromLocalInput, toLocalInput } from "./file-purposes.ts";

const DAY_MS = 86_400_000;

export interface FileRowFacts {
  id: string;
  organizationId: string;
  filename: string;
  createdAt: Date;
  expiresAt: Date | null;
}

/** The row's actions: moving the expiry (for those who may) and deleting, each confirmed. */
export function FileActions({
  file,
  retentionDays,
  canChangeExpiry,
}: {
  file: FileRowFacts;
  /** the organization's file retention: the latest expiry is the upload plus this */
  retentionDays: number | undefined;
  canChangeExpiry: boolean;
}) {
  return (
    <div className="flex justify-end gap-2">
      {canChangeExpiry && retentionDays !== undefined ? (
        <TriggeredDialog
          trigger={
            <Button variant="secondary" size="sm" aria-label={`Change the expiry of ${file.filename}`}>
              Change expiry
            </Button>
          }
          title="Change the expiry"
          description={`${file.filename} can be kept until ${formatDateTime(latestExpiry(file, retentionDays))} at the latest: ${retentionDays} days after its upload, the organization's file retention.`}
        >
          {(close) => <ChangeExpiryForm file={file} retentionDays={retentionDays} onDone={close} />}
        </TriggeredDialog>
      ) : null}
      <TriggeredDialog
        trigger={
          <Button variant="danger" size="sm" aria-label={`Delete ${file.filename}`}>
            Delete
          </Button>
        }
        title={`Delete ${file.filename}?`}
        description="Its record and its bytes are removed for good, and the API answers 404 for it from now on. The deletion is audited."
      >
        {(close) => <DeleteFileForm file={file} onDone={close} />}
      </TriggeredDialog>
    </div>
  );
}

function latestExpiry(file: FileRowFacts, retentionDays: number): Date {
  return new Date(file.createdAt.getTime() + retentionDays * DAY_MS);
}

function useFilesMutationDone(onDone: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.files.pathKey() });
    onDone();
  };
}

function DeleteFileForm({ file, onDone }: { file: FileRowFacts; onDone: () => void }) {
  const trpc = useTRPC();
  const done = useFilesMutationDone(onDone);
  const failure = useFormError();
  const mutation = useMutation(
    trpc.files.delete.mutationOptions({
      onSuccess: done,
      onError: failure.onError,
    }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => {
        mutation.mutate({ organizationId: file.organizationId, fileId: file.id });
      })}
      formError={failure.formError}
      submitLabel="Delete file"
      submitVariant="danger"
      isPending={mutation.isPending}
    >
      <p className="text-sm text-text-muted">
        File <code className="text-xs">{file.id}</code>
      </p>
    </DialogForm>
  );
}

function ChangeExpiryForm({
  file,
  retentionDays,
  onDone,
}: {
  file: FileRowFacts;
  retentionDays: number;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const done = useFilesMutationDone(onDone);
  const latest = latestExpiry(file, retentionDays);
  const [value, setValue] = useState(() =>
    toLocalInput(file.expiresAt && file.expiresAt < latest ? file.expiresAt : latest),
  );
  const [fieldError, setFieldError] = useState<string | undefined>();
  const failure = useFormError();
  const mutation = useMutation(
    trpc.files.changeExpiry.mutationOptions({
      onSuccess: done,
      onError: failure.onError,
    }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => {
        const expiresAt = fromLocalInput(value);
        if (!expiresAt) return setFieldError("Enter a date and time.");
        if (expiresAt <= new Date()) return setFieldError("Choose a time in the future.");
        if (expiresAt > latest)
          return setFieldError(`Choose a time no later than ${formatDateTime(latest)}.`);
        setFieldError(undefined);
        mutation.mutate({ organizationId: file.organizationId, fileId: file.id, expiresAt });
      })}
      formError={failure.formError}
      submitLabel="Save expiry"
      isPending={mutation.isPending}
    >
      <Field
        label="Expires at"
        hint={`Now: ${formatDateTime(file.expiresAt)}. Your local time.`}
        error={fieldError}
      >
        {(control) => (
          <Input
            {...control}
            type="datetime-local"
            value={value}
            min={toLocalInput(new Date())}
            max={toLocalInput(latest)}
            onChange={(event) => setValue(event.target.value)}
          />
        )}
      </Field>
    </DialogForm>
  );
}
