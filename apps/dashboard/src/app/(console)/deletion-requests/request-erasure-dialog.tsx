"use client";

import { type RequestEndUserErasureInput, RequestEndUserErasureInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
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

function RequestErasureForm({ organizationId }: { organizationId: string | undefined }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<RequestEndUserErasureInput>({
    resolver: zodResolver(RequestEndUserErasureInputSchema),
    defaultValues: { organizationId: organizationId ?? "", endUserId: "" },
  });
  const outcome = useSaveOutcome(form, FIELDS);
  const create = useMutation(
    trpc.deletionRequests.create.mutationOptions(
      outcome.callbacks(async (result: { id: string; created: boolean }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.deletionRequests.pathKey() });
        // an erasure already open for this end user is shown rather than a second one opened
        router.push(`/deletion-requests/${result.id}${result.created ? "" : "?existing=1"}`);
      }),
    ),
  );
  const { errors } = form.formState;

  return (
    <DialogForm
      onSubmit={outcome.submit((values) => create.mutate(values))}
      formError={outcome.formError}
      submitLabel="Request erasure"
      submitVariant="danger"
      isPending={create.isPending}
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
        error={errors.endUserId?.message}
      >
        {(control) => (
          <Input {...control} autoComplete="off" spellCheck={false} {...form.register("endUserId")} />
        )}
      </Field>
    </DialogForm>
  );
}
