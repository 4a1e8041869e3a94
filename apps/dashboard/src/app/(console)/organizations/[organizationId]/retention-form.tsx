"use client";

import { type UpdateRetentionInput, UpdateRetentionInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { NumberField } from "../../../../components/ui/number-field.tsx";
import { SaveForm, type SaveTexts } from "../../../../components/ui/save-footer.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import type { OrganizationDetails } from "./organization-details.tsx";
import { useOrganizationSave } from "./use-organization-save.ts";

const TEXTS: SaveTexts = {
  saved: "Retention saved. The next purge removes what is older.",
  submit: "Save retention",
  readOnly: "Only admins and compliance officers change retention.",
};
const FIELDS = ["chatLogRetentionDays", "fileRetentionDays"] as const;
/** An empty box means "the tier's retention" (null). */
const daysOrNull = (value: unknown) => (value === "" || value === null ? null : Number(value));

/**
 * How long conversation logs and files are kept: the tier's, or fewer days. Never more than
 * the tier's; a legal hold is what keeps data longer.
 */
export function RetentionForm({
  organization,
  canManage,
}: {
  organization: OrganizationDetails;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const form = useForm<UpdateRetentionInput>({
    resolver: zodResolver(UpdateRetentionInputSchema),
    values: {
      organizationId: organization.id,
      chatLogRetentionDays: organization.chatLogRetentionDays,
      fileRetentionDays: organization.fileRetentionDays,
    },
  });
  const { outcome, callbacks } = useOrganizationSave(form, FIELDS);
  const update = useMutation(trpc.organizations.updateRetention.mutationOptions(callbacks));
  const { errors } = form.formState;
  const tier = organization.tier;
  const retentionField = (name: (typeof FIELDS)[number], label: string, effectiveDays: number) => (
    <NumberField
      label={label}
      error={errors[name]?.message}
      hint={`Empty: the tier's ${tier[name]} days. Now: ${effectiveDays} days.`}
      max={tier[name]}
      placeholder={String(tier[name])}
      registration={form.register(name, { setValueAs: daysOrNull })}
    />
  );

  return (
    <SaveForm form={form} outcome={outcome} mutation={update} canManage={canManage} texts={TEXTS}>
      <fieldset disabled={!canManage} className="flex min-w-0 flex-col gap-4">
        <legend className="sr-only">Retention</legend>
        <div className="grid gap-4 sm:grid-cols-2">
          {retentionField(
            "chatLogRetentionDays",
            "Chat-log retention (days)",
            organization.effectiveChatLogRetentionDays,
          )}
          {retentionField(
            "fileRetentionDays",
            "File retention (days)",
            organization.effectiveFileRetentionDays,
          )}
        </div>
        <p className="text-sm text-text-muted">
          A shorter retention reaches the logs and files already kept at the next purge, within ten minutes;
          files' expiries move forward at once. A longer one applies to what is kept from now on.
        </p>
      </fieldset>
    </SaveForm>
  );
}
