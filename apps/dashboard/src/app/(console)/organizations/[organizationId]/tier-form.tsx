"use client";

import { SetOrganizationTierInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "../../../../components/ui/button.tsx";
import { Field, FormError } from "../../../../components/ui/field.tsx";
import { Select } from "../../../../components/ui/select.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { applyServerError } from "../../../../trpc/errors.ts";

type Values = z.input<typeof SetOrganizationTierInputSchema>;

/** Moves the organization to another tier; the gateway applies it from the next request. */
export function TierForm({ organizationId, tier }: { organizationId: string; tier: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tiers = useQuery(trpc.tiers.list.queryOptions());
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<Values>({
    resolver: zodResolver(SetOrganizationTierInputSchema),
    values: { organizationId, tier },
  });
  const setTier = useMutation(
    trpc.organizations.setTier.mutationOptions({
      onSuccess: async () => {
        setSaved(true);
        await queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.tiers.list.queryKey() });
      },
      onError: (error) => setFormError(applyServerError(error, form.setError, ["tier"])),
    }),
  );

  return (
    <form
      noValidate
      className="flex flex-col gap-3"
      onSubmit={form.handleSubmit((values) => {
        setFormError(null);
        setSaved(false);
        setTier.mutate(values);
      })}
    >
      <FormError message={formError} />
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Tier" error={form.formState.errors.tier?.message} className="min-w-56 flex-1">
          {(control) => (
            <Controller
              control={form.control}
              name="tier"
              render={({ field }) => (
                <Select
                  {...control}
                  value={field.value}
                  onValueChange={(value) => {
                    setSaved(false);
                    field.onChange(value);
                  }}
                  options={(tiers.data ?? []).map((t) => ({
                    value: t.slug,
                    label: t.name,
                    detail: `${t.requestsPerMinute} req/min`,
                  }))}
                  placeholder={tiers.isPending ? "Loading tiers…" : "Choose a tier"}
                />
              )}
            />
          )}
        </Field>
        <Button
          type="submit"
          variant="secondary"
          isPending={setTier.isPending}
          disabled={!form.formState.isDirty}
        >
          Change tier
        </Button>
      </div>
      <p aria-live="polite" className="text-sm text-success">
        {saved ? "Tier changed. It applies from the organization's next API request." : ""}
      </p>
    </form>
  );
}
