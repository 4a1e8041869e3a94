"use client";

import { SetOrganizationTierInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { TierPicker } from "../../../../components/tier-picker.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { ControlledField } from "../../../../components/ui/controlled-field.tsx";
import { FormError } from "../../../../components/ui/field.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../../trpc/use-save-outcome.ts";

type Values = z.input<typeof SetOrganizationTierInputSchema>;

/** Moves the organization to another tier; the gateway applies it from the next request. */
export function TierForm({ organizationId, tier }: { organizationId: string; tier: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
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
        <ControlledField control={form.control} name="tier" label="Tier" className="min-w-56 flex-1">
          {(props) => (
            <TierPicker
              {...props}
              onValueChange={(value) => {
                outcome.setSaved(false);
                props.onValueChange(value);
              }}
            />
          )}
        </ControlledField>
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
