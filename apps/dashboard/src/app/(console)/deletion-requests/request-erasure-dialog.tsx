"use client";

import { type RequestEndUserErasureInput, RequestEndUserErasureInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { OrganizationPicker } from "../../../components/organization-picker.tsx";
import { Button } from "../../../components/ui/button.tsx";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogFooter,
  DialogTrigger,
} from "../../../components/ui/dialog.tsx";
import { Field, FormError } from "../../../components/ui/field.tsx";
import { PlusIcon } from "../../../components/ui/icons.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { applyServerError } from "../../../trpc/errors.ts";

const FIELDS = ["organizationId", "endUserId"] as const;

/** Opens an erasure of one end user of an organization; then shows the request's page. */
export function RequestErasureDialog({ organizationId }: { organizationId: string | undefined }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon className="size-4" /> Erase an end user
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Erase an end user"
        description="Deletes the end user's conversation logs and their keys, files and cached answers, and removes their id from usage records. The worker does it within minutes; it cannot be undone."
      >
        {open ? <RequestErasureForm organizationId={organizationId} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function RequestErasureForm({ organizationId }: { organizationId: string | undefined }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RequestEndUserErasureInput>({
    resolver: zodResolver(RequestEndUserErasureInputSchema),
    defaultValues: { organizationId: organizationId ?? "", endUserId: "" },
  });
  const create = useMutation(
    trpc.deletionRequests.create.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries({ queryKey: trpc.deletionRequests.pathKey() });
        // an erasure already open for this end user is shown rather than a second one opened
        router.push(`/deletion-requests/${result.id}${result.created ? "" : "?existing=1"}`);
      },
      onError: (error) => setFormError(applyServerError(error, form.setError, FIELDS)),
    }),
  );
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((values) => {
        setFormError(null);
        create.mutate(values);
      })}
    >
      <FormError message={formError} />
      <Field label="Organization" error={errors.organizationId?.message}>
        {(control) => (
          <Controller
            control={form.control}
            name="organizationId"
            render={({ field }) => (
              <OrganizationPicker {...control} value={field.value} onValueChange={field.onChange} />
            )}
          />
        )}
      </Field>
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
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <Button type="submit" variant="danger" isPending={create.isPending}>
          Request erasure
        </Button>
      </DialogFooter>
    </form>
  );
}
