"use client";

import { CreateTierInputSchema, MIB, TierLimitsInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { NumberField } from "../../../components/ui/number-field.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../trpc/use-save-outcome.ts";
import type { Tier } from "./tiers-list.tsx";

// The form edits the limits; creating also names the slug (optional here, required by create).
const FormSchema = TierLimitsInputSchema.extend({ slug: z.string() });
type Values = z.input<typeof FormSchema>;
const FIELDS = [
  "slug",
  "name",
  "requestsPerMinute",
  "tokensPerMinute",
  "monthlyTokenQuota",
  "maxFileMiB",
  "maxStorageMiB",
  "chatLogRetentionDays",
  "fileRetentionDays",
] as const;

const numberOrNull = (value: unknown) => (value === "" || value === null ? null : Number(value));
const numberValue = (value: unknown) => (value === "" ? Number.NaN : Number(value));

/** Creates a custom tier (tier = null) or edits one; every limit is checked by the shared schema. */
export function TierDialog({ tier, onClose }: { tier: Tier | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const isNew = tier === null;
  const form = useForm<Values>({
    resolver: zodResolver(isNew ? CreateTierInputSchema : FormSchema),
    defaultValues: tier
      ? {
          slug: tier.slug,
          name: tier.name,
          requestsPerMinute: tier.requestsPerMinute,
          tokensPerMinute: tier.tokensPerMinute,
          monthlyTokenQuota: tier.monthlyTokenQuota,
          maxFileMiB: Math.round(tier.maxFileBytes / MIB),
          maxStorageMiB: tier.maxStorageBytes === null ? null : Math.round(tier.maxStorageBytes / MIB),
          chatLogRetentionDays: tier.chatLogRetentionDays,
          fileRetentionDays: tier.fileRetentionDays,
        }
      : {
          slug: "",
          name: "",
          requestsPerMinute: 30,
          tokensPerMinute: 100_000,
          monthlyTokenQuota: null,
          maxFileMiB: 100,
          maxStorageMiB: 10_240,
          chatLogRetentionDays: 30,
          fileRetentionDays: 7,
        },
  });
  const outcome = useSaveOutcome(form, FIELDS);
  const options = outcome.callbacks(async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.tiers.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() });
    onClose();
  });
  const create = useMutation(trpc.tiers.create.mutationOptions(options));
  const update = useMutation(trpc.tiers.update.mutationOptions(options));
  const { errors } = form.formState;

  const numberField = (
    name: Exclude<(typeof FIELDS)[number], "slug" | "name">,
    label: string,
    { hint, nullable = false }: { hint?: string; nullable?: boolean } = {},
  ) => (
    <NumberField
      label={label}
      hint={hint}
      error={errors[name]?.message}
      placeholder={nullable ? "Unlimited" : undefined}
      registration={form.register(name, { setValueAs: nullable ? numberOrNull : numberValue })}
    />
  );

  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        wide
        title={isNew ? "New tier" : `Edit ${tier.name}`}
        description={
          isNew
            ? "A custom plan. Move organizations to it from their page."
            : `Used by ${tier.organizationCount} organization(s). Changes apply to their next API request.`
        }
      >
        <DialogForm
          onSubmit={outcome.submit((values) => {
            const { slug, ...limits } = values as z.output<typeof FormSchema>;
            if (isNew) create.mutate({ ...limits, slug });
            else update.mutate({ ...limits, tierId: tier.id });
          })}
          formError={outcome.formError}
          submitLabel={isNew ? "Create tier" : "Save limits"}
          isPending={create.isPending || update.isPending}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" error={errors.name?.message}>
              {(control) => <Input {...control} autoFocus {...form.register("name")} />}
            </Field>
            {isNew ? (
              <Field
                label="Slug"
                hint="Lower-case letters, digits, dashes; used by dsc-admin."
                error={errors.slug?.message}
              >
                {(control) => <Input {...control} placeholder="team" {...form.register("slug")} />}
              </Field>
            ) : (
              <Field label="Slug" hint="A tier's slug cannot change.">
                {(control) => <Input {...control} value={tier.slug} readOnly disabled />}
              </Field>
            )}
            {numberField("requestsPerMinute", "Requests per minute")}
            {numberField("tokensPerMinute", "Tokens per minute", {
              nullable: true,
              hint: "Empty: unlimited.",
            })}
            {numberField("monthlyTokenQuota", "Tokens per month", {
              nullable: true,
              hint: "Empty: unlimited.",
            })}
            {numberField("maxFileMiB", "Largest file (MiB)")}
            {numberField("maxStorageMiB", "File storage per organization (MiB)", {
              nullable: true,
              hint: "All its live files together. Empty: unlimited.",
            })}
            {numberField("chatLogRetentionDays", "Chat-log retention (days)")}
            {numberField("fileRetentionDays", "File retention (days)")}
          </div>
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}
