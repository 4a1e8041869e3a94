"use client";

import {
  type UpdateOrganizationSettingsInput,
  UpdateOrganizationSettingsInputSchema,
} from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import { Button } from "../../../../components/ui/button.tsx";
import { Field, FormError } from "../../../../components/ui/field.tsx";
import { Input } from "../../../../components/ui/input.tsx";
import { Switch } from "../../../../components/ui/switch.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { applyServerError } from "../../../../trpc/errors.ts";
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
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
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
  const update = useMutation(
    trpc.organizations.updateSettings.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() });
      },
      onError: (error) => setFormError(applyServerError(error, form.setError, FIELDS)),
    }),
  );
  const { errors, isDirty } = form.formState;
  const tier = organization.tier;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((values) => {
        setFormError(null);
        setSaved(false);
        update.mutate(values);
      })}
    >
      <fieldset disabled={!canManage} className="flex min-w-0 flex-col gap-4">
        <legend className="sr-only">Organization settings</legend>
        <FormError message={formError} />
        <Field label="Name" error={errors.name?.message}>
          {(control) => <Input {...control} {...form.register("name")} />}
        </Field>
        <div className="flex items-start justify-between gap-4 rounded-md border border-border px-3 py-3">
          <div className="flex flex-col gap-0.5">
            <label htmlFor="data-collection-opt-out" className="text-sm font-medium text-text">
              Data-collection opt-out
            </label>
            <p id="data-collection-opt-out-hint" className="text-xs text-text-muted">
              Keep usage counts only: no conversation logs and no cached responses.
            </p>
          </div>
          <Controller
            control={form.control}
            name="dataCollectionOptOut"
            render={({ field }) => (
              <Switch
                id="data-collection-opt-out"
                aria-describedby="data-collection-opt-out-hint"
                checked={field.value ?? false}
                onCheckedChange={field.onChange}
                disabled={!canManage}
              />
            )}
          />
        </div>
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
      {canManage ? (
        <div className="flex items-center justify-between gap-3">
          <p aria-live="polite" className="text-sm text-success">
            {saved ? "Settings saved." : ""}
          </p>
          <Button type="submit" isPending={update.isPending} disabled={!isDirty}>
            Save settings
          </Button>
        </div>
      ) : (
        <p className="text-sm text-text-muted">Only admins change these settings.</p>
      )}
    </form>
  );
}
