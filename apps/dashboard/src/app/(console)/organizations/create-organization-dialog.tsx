"use client";

import { CreateOrganizationInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { TierPicker } from "../../../components/tier-picker.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { ControlledField } from "../../../components/ui/controlled-field.tsx";
import { TriggeredDialog } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { PlusIcon } from "../../../components/ui/icons.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../trpc/use-save-outcome.ts";

type Values = z.input<typeof CreateOrganizationInputSchema>;

export function CreateOrganizationDialog() {
  return (
    <TriggeredDialog
      trigger={
        <Button>
          <PlusIcon className="size-4" /> New organization
        </Button>
      }
      title="New organization"
      description="An API customer. You can change its tier and settings later."
    >
      {(close) => <CreateOrganizationForm onDone={close} />}
    </TriggeredDialog>
  );
}

function CreateOrganizationForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    resolver: zodResolver(CreateOrganizationInputSchema),
    defaultValues: { name: "", tier: "free" },
  });
  const outcome = useSaveOutcome(form, ["name", "tier"]);
  const create = useMutation(
    trpc.organizations.create.mutationOptions(
      outcome.callbacks(async (org: { id: string }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.organizations.list.queryKey() });
        onDone();
        router.push(`/organizations/${org.id}`);
      }),
    ),
  );
  const { errors } = form.formState;

  return (
    <DialogForm
      onSubmit={outcome.submit((values) => create.mutate(values))}
      formError={outcome.formError}
      submitLabel="Create organization"
      isPending={create.isPending}
    >
      <Field label="Name" error={errors.name?.message}>
        {(control) => <Input {...control} autoFocus placeholder="Acme Inc." {...form.register("name")} />}
      </Field>
      <ControlledField
        control={form.control}
        name="tier"
        label="Tier"
        hint="Sets requests and tokens per minute, monthly tokens and retention."
      >
        {(props) => <TierPicker {...props} />}
      </ControlledField>
    </DialogForm>
  );
}
