"use client";

import {
  ADMIN_ONLY_SCOPES,
  type CreateCredentialInput,
  CreateCredentialInputSchema,
  DEFAULT_API_KEY_SCOPES,
  EXPIRY_CHOICE_NAMES,
  EXPIRY_CHOICES,
  isPowerfulScope,
  type PowerfulScope,
  SCOPES,
  type Scope,
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
import { PowerfulScopePicker } from "./powerful-scope-picker.tsx";
import { SecretReveal } from "./secret-reveal.tsx";

const SCOPE_HINTS: Record<string, string> = {
  "models:read": "List models",
  chat: "Chat completions",
  files: "Upload and read files",
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
      allowPowerfulScopes: false,
      expiresIn: "90d",
    },
  });
  const outcome = useSaveOutcome(form, [
    "organizationId",
    "name",
    "scopes",
    "allowPowerfulScopes",
    "expiresIn",
  ]);
  const create = kind.useCreate();
  const { errors } = form.formState;
  // powerful scopes are offered apart, with their warning and confirmation
  const grantable = SCOPES.filter(
    (scope) => !isPowerfulScope(scope) && (isAdmin || !ADMIN_ONLY_SCOPES.includes(scope)),
  );
  /** the two pickers' choices as one list, in the vocabulary's order */
  const mergeScopes = (ordinary: readonly Scope[], powerful: readonly Scope[]) =>
    SCOPES.filter((scope) => ordinary.includes(scope) || powerful.includes(scope));

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
        render={({ field }) => {
          const ordinary = field.value.filter((scope) => !isPowerfulScope(scope));
          const powerful = field.value.filter((scope): scope is PowerfulScope => isPowerfulScope(scope));
          return (
            <>
              <CheckboxGroup
                legend="Scopes"
                options={grantable.map((scope) => ({
                  value: scope,
                  label: <code className="bg-transparent p-0 text-xs font-semibold">{scope}</code>,
                  hint: SCOPE_HINTS[scope],
                }))}
                value={ordinary}
                onChange={(next) => field.onChange(mergeScopes(next, powerful))}
                error={errors.scopes?.message}
              />
              <Controller
                control={form.control}
                name="allowPowerfulScopes"
                render={({ field: confirmation }) => (
                  <PowerfulScopePicker
                    nounPhrase={`this ${kind.noun}`}
                    value={powerful}
                    onChange={(next) => field.onChange(mergeScopes(ordinary, next))}
                    isConfirmed={confirmation.value === true}
                    onConfirmedChange={confirmation.onChange}
                    confirmationError={errors.allowPowerfulScopes?.message}
                  />
                )}
              />
            </>
          );
        }}
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
