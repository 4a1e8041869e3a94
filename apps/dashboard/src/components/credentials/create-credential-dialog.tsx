"use client";

import {
  ADMIN_ONLY_SCOPES,
  type CreateCredentialInput,
  CreateCredentialInputSchema,
  DEFAULT_API_KEY_SCOPES,
  EXPIRY_CHOICE_NAMES,
  EXPIRY_CHOICES,
  SCOPES,
} from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { useSaveOutcome } from "../../trpc/use-save-outcome.ts";
import { OrganizationPicker } from "../organization-picker.tsx";
import { Button } from "../ui/button.tsx";
import { CheckboxGroup } from "../ui/checkbox-group.tsx";
import { TriggeredDialog } from "../ui/dialog.tsx";
import { DialogForm } from "../ui/dialog-form.tsx";
import { Field } from "../ui/field.tsx";
import { PlusIcon } from "../ui/icons.tsx";
import { Input } from "../ui/input.tsx";
import { Select } from "../ui/select.tsx";
import type { CredentialKind } from "./credential-kind.ts";
import { SecretReveal } from "./secret-reveal.tsx";

const SCOPE_HINTS: Record<string, string> = {
  "models:read": "List models",
  chat: "Chat completions",
  files: "Upload and read files",
  "users:delete": "Erase an end user's data",
  "users:export": "Export an end user's data",
  admin: "Administrative API (admins only)",
};

export function CreateCredentialDialog({
  kind,
  organizationId,
  isAdmin,
}: {
  kind: CredentialKind;
  /** preselected (a filter) or fixed (a developer's organization) */
  organizationId: { value: string | undefined; isFixed: boolean };
  isAdmin: boolean;
}) {
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  return (
    <>
      <TriggeredDialog
        trigger={
          <Button>
            <PlusIcon className="size-4" /> New {kind.noun}
          </Button>
        }
        title={`New ${kind.noun}`}
        description={`The ${kind.secretName} is shown once, right after you create it.`}
      >
        {(close) => (
          <CreateCredentialForm
            kind={kind}
            organizationId={organizationId}
            isAdmin={isAdmin}
            onCreated={(result) => {
              close();
              setCreated(result);
            }}
          />
        )}
      </TriggeredDialog>
      {created ? (
        <SecretReveal
          title={`${capitalise(kind.noun)} created`}
          secretName={kind.secretName}
          secret={created.secret}
          usage={kind.usage(created.secret, created.id)}
          onClose={() => setCreated(null)}
        />
      ) : null}
    </>
  );
}

function CreateCredentialForm({
  kind,
  organizationId,
  isAdmin,
  onCreated,
}: {
  kind: CredentialKind;
  organizationId: { value: string | undefined; isFixed: boolean };
  isAdmin: boolean;
  onCreated: (result: { id: string; secret: string }) => void;
}) {
  const form = useForm<CreateCredentialInput>({
    resolver: zodResolver(CreateCredentialInputSchema),
    defaultValues: {
      organizationId: organizationId.value ?? "",
      name: "",
      scopes: [...DEFAULT_API_KEY_SCOPES],
      expiresIn: "90d",
    },
  });
  const outcome = useSaveOutcome(form, ["organizationId", "name", "scopes", "expiresIn"]);
  const create = kind.useCreate();
  const { errors } = form.formState;
  const grantable = SCOPES.filter((scope) => isAdmin || !ADMIN_ONLY_SCOPES.includes(scope));

  return (
    <DialogForm
      onSubmit={outcome.submit((values) => create.mutate(values, outcome.callbacks(onCreated)))}
      formError={outcome.formError}
      submitLabel={`Create ${kind.noun}`}
      isPending={create.isPending}
    >
      {organizationId.isFixed ? null : (
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
      )}
      <Field
        label="Name"
        hint="What uses it, e.g. “production backend” or “CI”."
        error={errors.name?.message}
      >
        {(control) => <Input {...control} autoFocus autoComplete="off" {...form.register("name")} />}
      </Field>
      <Controller
        control={form.control}
        name="scopes"
        render={({ field }) => (
          <CheckboxGroup
            legend="Scopes"
            options={grantable.map((scope) => ({
              value: scope,
              label: <code className="bg-transparent p-0 text-xs font-semibold">{scope}</code>,
              hint: SCOPE_HINTS[scope],
            }))}
            value={field.value}
            onChange={field.onChange}
            error={errors.scopes?.message}
          />
        )}
      />
      <Field label="Expires" error={errors.expiresIn?.message}>
        {(control) => (
          <Controller
            control={form.control}
            name="expiresIn"
            render={({ field }) => (
              <Select
                {...control}
                value={field.value}
                onValueChange={field.onChange}
                options={EXPIRY_CHOICE_NAMES.map((name) => ({
                  value: name,
                  label: EXPIRY_CHOICES[name].label,
                }))}
              />
            )}
          />
        )}
      </Field>
    </DialogForm>
  );
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
