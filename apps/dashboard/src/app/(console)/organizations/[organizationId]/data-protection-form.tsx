"use client";

import {
  PII_KINDS,
  type PiiKind,
  type UpdateDataProtectionInput,
  UpdateDataProtectionInputSchema,
} from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { Controller, useForm } from "react-hook-form";
import { CheckboxGroup } from "../../../../components/ui/checkbox-group.tsx";
import { SaveForm, type SaveTexts } from "../../../../components/ui/save-footer.tsx";
import { FormSwitchField } from "../../../../components/ui/switch-field.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import type { OrganizationDetails } from "./organization-details.tsx";
import { useOrganizationSave } from "./use-organization-save.ts";

const TEXTS: SaveTexts = {
  saved: "Data protection saved. Gateways apply it from the next request.",
  submit: "Save data protection",
  readOnly: "Only admins and compliance officers change these settings.",
};
const FIELDS = ["piiMaskKinds", "maskPiiUpstream", "responseCacheEnabled"] as const;

const PII_KIND_LABELS: Record<PiiKind, { label: string; hint: string }> = {
  email: { label: "E-mail addresses", hint: "name@example.com" },
  phone: { label: "Phone numbers", hint: "+44 20 7946 0958" },
  card: { label: "Card numbers", hint: "Checked with the Luhn sum" },
  iban: { label: "IBANs", hint: "Checked with the mod-97 sum" },
  ip: { label: "IP addresses", hint: "IPv4 and IPv6" },
  secret: { label: "Secrets", hint: "API keys, access tokens, JWTs" },
};

/** Which personal data is masked, whether the model sees it, and whether answers are cached. */
export function DataProtectionForm({
  organization,
  canManage,
}: {
  organization: OrganizationDetails;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const form = useForm<UpdateDataProtectionInput>({
    resolver: zodResolver(UpdateDataProtectionInputSchema),
    values: {
      organizationId: organization.id,
      piiMaskKinds: organization.piiMaskKinds,
      maskPiiUpstream: organization.maskPiiUpstream,
      responseCacheEnabled: organization.responseCacheEnabled,
    },
  });
  const { outcome, callbacks } = useOrganizationSave(form, FIELDS);
  const update = useMutation(trpc.organizations.updateDataProtection.mutationOptions(callbacks));
  const { errors } = form.formState;

  return (
    <SaveForm form={form} outcome={outcome} mutation={update} canManage={canManage} texts={TEXTS}>
      <Controller
        control={form.control}
        name="piiMaskKinds"
        render={({ field }) => (
          <CheckboxGroup
            legend="Personal data to mask"
            options={PII_KINDS.map((kind) => ({ value: kind, ...PII_KIND_LABELS[kind] }))}
            value={field.value ?? []}
            onChange={field.onChange}
            error={errors.piiMaskKinds?.message}
            disabled={!canManage}
          />
        )}
      />
      <FormSwitchField
        control={form.control}
        name="maskPiiUpstream"
        id="mask-pii-upstream"
        label="Mask personal data before it goes to the model"
        hint="The kinds ticked above are replaced in prompts too, e.g. by [EMAIL]. Otherwise they are masked only in what is stored and logged."
        disabled={!canManage}
      />
      <FormSwitchField
        control={form.control}
        name="responseCacheEnabled"
        id="response-cache"
        label="Response cache"
        hint={
          organization.dataCollectionOptOut
            ? "Off in effect while the organization opts out of data collection."
            : "Answer a repeated request from the cache, without calling the model again."
        }
        disabled={!canManage}
      />
    </SaveForm>
  );
}
