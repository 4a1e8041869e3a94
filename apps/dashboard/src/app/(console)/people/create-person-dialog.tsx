"use client";

import { type CreateUserInput, CreateUserInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Button, type ButtonProps } from "../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { PlusIcon } from "../../../components/ui/icons.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../trpc/use-save-outcome.ts";
import { RoleFields } from "./role-fields.tsx";

const FIELDS = ["email", "name", "role", "organizationId", "password"] as const;

export function CreatePersonDialog({
  preset,
  canInvite = false,
  triggerLabel = "Add person",
  triggerVariant = "primary",
}: {
  /** adding a member of one organization: role and organization are fixed */
  preset?: { role: "DEVELOPER"; organizationId: string; organizationName: string };
  /** an identity provider is configured, so the password may be left empty (the server checks too) */
  canInvite?: boolean;
  triggerLabel?: string;
  triggerVariant?: ButtonProps["variant"];
}) {
  return (
    <TriggeredDialog
      trigger={
        <Button variant={triggerVariant}>
          <PlusIcon className="size-4" /> {triggerLabel}
        </Button>
      }
      title={preset ? `Add a member to ${preset.organizationName}` : "Add a person"}
      description={
        canInvite
          ? "They sign in with their e-mail address and the password you set, or through single sign-on when you leave the password empty."
          : "They sign in with their e-mail address and the password you set."
      }
    >
      {(close) => <CreatePersonForm preset={preset} canInvite={canInvite} onDone={close} />}
    </TriggeredDialog>
  );
}

function CreatePersonForm({
  preset,
  canInvite,
  onDone,
}: {
  preset?: { role: "DEVELOPER"; organizationId: string };
  canInvite: boolean;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<CreateUserInput>({
    resolver: zodResolver(CreateUserInputSchema),
    defaultValues: {
      email: "",
      name: "",
      role: preset?.role ?? "DEVELOPER",
      organizationId: preset?.organizationId ?? "",
      password: "",
    },
  });
  const outcome = useSaveOutcome(form, FIELDS);
  const create = useMutation(
    trpc.users.create.mutationOptions(
      outcome.callbacks(async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() });
        onDone();
      }),
    ),
  );
  const { errors } = form.formState;

  return (
    <DialogForm
      onSubmit={outcome.submit((values) => create.mutate(values))}
      formError={outcome.formError}
      submitLabel="Add person"
      isPending={create.isPending}
    >
      <Field label="E-mail address" error={errors.email?.message}>
        {(control) => (
          <Input
            {...control}
            type="email"
            autoFocus
            autoComplete="off"
            placeholder="dana@example.com"
            {...form.register("email")}
          />
        )}
      </Field>
      <Field label="Name" hint="Optional; shown in menus and lists." error={errors.name?.message}>
        {(control) => <Input {...control} autoComplete="off" {...form.register("name")} />}
      </Field>
      {preset ? null : (
        <div className="grid gap-4 sm:grid-cols-2">
          <RoleFields control={form.control} />
        </div>
      )}
      <Field
        label="Initial password"
        error={errors.password?.message}
        hint={
          canInvite
            ? "At least 12 characters; give it to them over a safe channel, they can change it under Account. Leave it empty if they sign in through single sign-on."
            : "At least 12 characters; give it to them over a safe channel, they can change it under Account. No single sign-on is configured, so a password is needed."
        }
      >
        {(control) => (
          <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />
        )}
      </Field>
    </DialogForm>
  );
}
