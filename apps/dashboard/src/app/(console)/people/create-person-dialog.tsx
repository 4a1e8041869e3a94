"use client";

import { type CreateUserInput, CreateUserInputSchema, ROLE_NAMES } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm, useWatch } from "react-hook-form";
import { OrganizationPicker } from "../../../components/organization-picker.tsx";
import { ROLE_LABELS } from "../../../components/role-badge.tsx";
import { Button, type ButtonProps } from "../../../components/ui/button.tsx";
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
import { Select } from "../../../components/ui/select.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { applyServerError } from "../../../trpc/errors.ts";

const FIELDS = ["email", "name", "role", "organizationId", "password"] as const;

export function CreatePersonDialog({
  preset,
  triggerLabel = "Add person",
  triggerVariant = "primary",
}: {
  /** adding a member of one organization: role and organization are fixed */
  preset?: { role: "DEVELOPER"; organizationId: string; organizationName: string };
  triggerLabel?: string;
  triggerVariant?: ButtonProps["variant"];
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant={triggerVariant}>
          <PlusIcon className="size-4" /> {triggerLabel}
        </Button>
      </DialogTrigger>
      <DialogContent
        title={preset ? `Add a member to ${preset.organizationName}` : "Add a person"}
        description="They sign in with their e-mail address and the password you set, or through single sign-on when you leave the password empty."
      >
        {open ? <CreatePersonForm preset={preset} onDone={() => setOpen(false)} /> : null}
      </DialogContent>
    </Dialog>
  );
}

function CreatePersonForm({
  preset,
  onDone,
}: {
  preset?: { role: "DEVELOPER"; organizationId: string };
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [formError, setFormError] = useState<string | null>(null);
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
  const role = useWatch({ control: form.control, name: "role" });
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() });
        onDone();
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
          <Field label="Role" error={errors.role?.message}>
            {(control) => (
              <Controller
                control={form.control}
                name="role"
                render={({ field }) => (
                  <Select
                    {...control}
                    value={field.value}
                    onValueChange={field.onChange}
                    options={ROLE_NAMES.map((name) => ({ value: name, label: ROLE_LABELS[name] ?? name }))}
                  />
                )}
              />
            )}
          </Field>
          {role === "DEVELOPER" ? (
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
          ) : null}
        </div>
      )}
      <Field
        label="Initial password"
        error={errors.password?.message}
        hint="At least 12 characters; give it to them over a safe channel, they can change it under Account. Leave empty if they sign in through single sign-on."
      >
        {(control) => (
          <Input {...control} type="password" autoComplete="new-password" {...form.register("password")} />
        )}
      </Field>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="secondary">Cancel</Button>
        </DialogClose>
        <Button type="submit" isPending={create.isPending}>
          Add person
        </Button>
      </DialogFooter>
    </form>
  );
}
