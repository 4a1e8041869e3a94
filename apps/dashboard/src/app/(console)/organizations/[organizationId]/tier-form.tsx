"use client";

import { SetOrganizationTierInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Controller, useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "../../../../components/ui/button.tsx";
import { Field, FormError } from "../../../../components/ui/field.tsx";
import { Select } from "../../../../components/ui/select.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../../trpc/use-save-outcome.ts";

type Values = z.input<typeof SetOrganizationTierInputSchema>;

/** Moves the organization to another tier; the gateway applies it from the next request. */
export function TierForm({ organizationId, tier }: { organizationId: string; tier: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tiers = useQuery(trpc.tiers.list.queryOptions());
  const form = useForm<Values>({
    resolver: zodResolver(SetOrganizationTierInputSchema),
    values: { organizationId, tier },
  });
  const outcome = useSaveOutcome(form, ["tier"]);
  const setTier = useMutation(
    trpc.organizations.setTier.mutationOptions(
      outcome.callbacks(() =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.tiers.list.queryKey() }),
        ]),
      ),
    ),
  );

  return (
    <form
      noValidate
      className="flex flex-col gap-3"
      onSubmit={outcome.submit((values) => setTier.mutate(values))}
    >
      <FormError message={outcome.formError} />
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
                    outcome.setSaved(false);
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
        {outcome.saved ? "Tier changed. It applies from the organization's next API request." : ""}
      </p>
    </form>
  );
}
