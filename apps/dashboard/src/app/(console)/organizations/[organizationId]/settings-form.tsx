"use client";

import {
  type UpdateOrganizationSettingsInput,
  UpdateOrganizationSettingsInputSchema,
} from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Controller, useForm } from "react-hook-form";
import { Field, FormError } from "../../../../components/ui/field.tsx";
import { Input } from "../../../../components/ui/input.tsx";
import { SaveFooter } from "../../../../components/ui/save-footer.tsx";
import { SwitchField } from "../../../../components/ui/switch-field.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../../trpc/use-save-outcome.ts";
import type { OrganizationDetails } from "./organization-details.tsx";

const FIELDS = ["name", "dataCollectionOptOut", "chatLogRetentionDays", "fileRetentionDays"] as const;
/** An empty box means "the tier's retention" (null). */
const daysOrNull = (value: unknown) => (value === "" || value === null ? null : Number(value));

export function SettingsForm({
  organization,
  canManage,
}: {
  organization: OrganizationDetails;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<UpdateOrganizationSettingsInput>({
    resolver: zodResolver(UpdateOrganizationSettingsInputSchema),
    values: {
      organizationId: organization.id,
      name: organization.name,
      dataCollectionOptOut: organization.dataCollectionOptOut,
      chatLogRetentionDays: organization.chatLogRetentionDays,
      fileRetentionDays: organization.fileRetentionDays,
    },
  });
  const outcome = useSaveOutcome(form, FIELDS);
  const update = useMutation(
    trpc.organizations.updateSettings.mutationOptions(
      outcome.callbacks(() => queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() })),
    ),
  );
  const { errors, isDirty } = form.formState;
  const tier = organization.tier;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={outcome.submit((values) => update.mutate(values))}
    >
      <fieldset disabled={!canManage} className="flex min-w-0 flex-col gap-4">
        <legend className="sr-only">Organization settings</legend>
        <FormError message={outcome.formError} />
        <Field label="Name" error={errors.name?.message}>
          {(control) => <Input {...control} {...form.register("name")} />}
        </Field>
        <Controller
          control={form.control}
          name="dataCollectionOptOut"
          render={({ field }) => (
            <SwitchField
              id="data-collection-opt-out"
              label="Data-collection opt-out"
              hint="Keep usage counts only: no conversation logs and no cached responses."
              checked={field.value ?? false}
              onCheckedChange={field.onChange}
              disabled={!canManage}
            />
          )}
        />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            label="Chat-log retention (days)"
            error={errors.chatLogRetentionDays?.message}
            hint={`Empty: the tier's ${tier.chatLogRetentionDays} days. Now: ${organization.effectiveChatLogRetentionDays} days.`}
          >
            {(control) => (
              <Input
                {...control}
                type="number"
                inputMode="numeric"
                min={1}
                max={tier.chatLogRetentionDays}
                placeholder={String(tier.chatLogRetentionDays)}
                {...form.register("chatLogRetentionDays", { setValueAs: daysOrNull })}
              />
            )}
          </Field>
          <Field
            label="File retention (days)"
            error={errors.fileRetentionDays?.message}
            hint={`Empty: the tier's ${tier.fileRetentionDays} days. Now: ${organization.effectiveFileRetentionDays} days.`}
          >
            {(control) => (
              <Input
                {...control}
                type="number"
                inputMode="numeric"
                min={1}
                max={tier.fileRetentionDays}
                placeholder={String(tier.fileRetentionDays)}
                {...form.register("fileRetentionDays", { setValueAs: daysOrNull })}
              />
            )}
          </Field>
        </div>
      </fieldset>
      <SaveFooter
        canManage={canManage}
        isSaved={outcome.saved}
        isPending={update.isPending}
        isDirty={isDirty}
        savedMessage="Settings saved."
        submitLabel="Save settings"
        readOnlyNote="Only admins change these settings."
      />
    </form>
  );
}
