"use client";

import {
  type UpdateOrganizationSettingsInput,
  UpdateOrganizationSettingsInputSchema,
} from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Field } from "../../../../components/ui/field.tsx";
import { Input } from "../../../../components/ui/input.tsx";
import { SaveForm, type SaveTexts } from "../../../../components/ui/save-footer.tsx";
import { FormSwitchField } from "../../../../components/ui/switch-field.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import type { OrganizationDetails } from "./organization-details.tsx";
import { useOrganizationSave } from "./use-organization-save.ts";

const TEXTS: SaveTexts = {
  saved: "Settings saved.",
  submit: "Save settings",
  readOnly: "Only admins and the organization's owners change these settings.",
};
const FIELDS = ["name", "dataCollectionOptOut"] as const;

export function SettingsForm({
  organization,
  canManage,
}: {
  organization: OrganizationDetails;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const form = useForm<UpdateOrganizationSettingsInput>({
    resolver: zodResolver(UpdateOrganizationSettingsInputSchema),
    values: {
      organizationId: organization.id,
      name: organization.name,
      dataCollectionOptOut: organization.dataCollectionOptOut,
    },
  });
  const { outcome, callbacks } = useOrganizationSave(form, FIELDS);
  const update = useMutation(trpc.organizations.updateSettings.mutationOptions(callbacks));
  const { errors } = form.formState;

  return (
    <SaveForm form={form} outcome={outcome} mutation={update} canManage={canManage} texts={TEXTS}>
      <fieldset disabled={!canManage} className="flex min-w-0 flex-col gap-4">
        <legend className="sr-only">Organization settings</legend>
        <Field label="Name" error={errors.name?.message}>
          {(control) => <Input {...control} {...form.register("name")} />}
        </Field>
        <FormSwitchField
          control={form.control}
          name="dataCollectionOptOut"
          id="data-collection-opt-out"
          label="Data-collection opt-out"
          hint="Keep usage counts only: no conversation logs and no cached responses."
          disabled={!canManage}
        />
      </fieldset>
    </SaveForm>
  );
}
