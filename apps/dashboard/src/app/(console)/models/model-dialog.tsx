"use client";

import { CreateModelInputSchema, ModelSettingsInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Controller, useForm } from "react-hook-form";
import { z } from "zod";
import { CheckboxGroup } from "../../../components/ui/checkbox-group.tsx";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { Select } from "../../../components/ui/select.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../trpc/use-save-outcome.ts";
import { type Model, modelHref } from "./models-list.tsx";

// editing names no id and no tiers (those have their own dialog); creating checks both
const FormSchema = ModelSettingsInputSchema.extend({ id: z.string(), tiers: z.array(z.string()) });
type Values = z.input<typeof FormSchema>;
const FIELDS = [
  "id",
  "ownedBy",
  "contextWindow",
  "inputPricePerMTokens",
  "outputPricePerMTokens",
  "routingStrategy",
  "tiers",
] as const;

export const ROUTING_OPTIONS = [
  { value: "WEIGHTED", label: "By weight", detail: "random, in proportion" },
  { value: "LEAST_IN_FLIGHT", label: "Least busy", detail: "fewest requests in flight" },
];

const numberValue = (value: unknown) => (value === "" ? Number.NaN : Number(value));

/** Creates a model (model = null) or edits its prices, context window, owner and routing. */
export function ModelDialog({ model, onClose }: { model: Model | null; onClose: () => void }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const tiers = useQuery(trpc.tiers.list.queryOptions());
  const isNew = model === null;
  const form = useForm<Values>({
    resolver: zodResolver(isNew ? CreateModelInputSchema : FormSchema),
    defaultValues: model
      ? {
          id: model.id,
          ownedBy: model.ownedBy,
          contextWindow: model.contextWindow,
          inputPricePerMTokens: model.inputPricePerMTokens,
          outputPricePerMTokens: model.outputPricePerMTokens,
          routingStrategy: model.routingStrategy,
          tiers: model.tiers,
        }
      : {
          id: "",
          ownedBy: "system",
          contextWindow: 8_192,
          inputPricePerMTokens: 0,
          outputPricePerMTokens: 0,
          routingStrategy: "WEIGHTED",
          tiers: [],
        },
  });
  const outcome = useSaveOutcome(form, FIELDS);
  const options = outcome.callbacks(async (saved: Model) => {
    await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
    onClose();
    if (isNew) router.push(modelHref(saved.id));
  });
  const create = useMutation(trpc.models.create.mutationOptions(options));
  const update = useMutation(trpc.models.update.mutationOptions(options));
  const { errors } = form.formState;

  const numberInput = (
    name: "contextWindow" | "inputPricePerMTokens" | "outputPricePerMTokens",
    label: string,
    hint?: string,
  ) => (
    <Field label={label} hint={hint} error={errors[name]?.message}>
      {(control) => (
        <Input
          {...control}
          type="number"
          inputMode="decimal"
          step="any"
          min={0}
          {...form.register(name, { setValueAs: numberValue })}
        />
      )}
    </Field>
  );

  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        wide
        title={isNew ? "New model" : `Edit ${model.id}`}
        description={
          isNew
            ? "Clients call it by its id. Add a deployment next; until then it is served by the default upstream."
            : "Prices apply to usage from the next request on."
        }
      >
        <DialogForm
          onSubmit={outcome.submit((values) => {
            const { id, tiers: chosen, ...settings } = values as z.output<typeof FormSchema>;
            if (isNew) create.mutate({ ...settings, id, tiers: chosen });
            else update.mutate({ ...settings, modelId: model.id });
          })}
          formError={outcome.formError}
          submitLabel={isNew ? "Create model" : "Save model"}
          isPending={create.isPending || update.isPending}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            {isNew ? (
              <Field label="Model id" hint="What clients send as `model`." error={errors.id?.message}>
                {(control) => (
                  <Input {...control} autoFocus placeholder="acme-chat-2" {...form.register("id")} />
                )}
              </Field>
            ) : null}
            <Field label="Owner" hint="Listed as owned_by." error={errors.ownedBy?.message}>
              {(control) => <Input {...control} {...form.register("ownedBy")} />}
            </Field>
            {numberInput("inputPricePerMTokens", "Input price (USD per million tokens)")}
            {numberInput("outputPricePerMTokens", "Output price (USD per million tokens)")}
            {numberInput("contextWindow", "Context window (tokens)")}
            <Field
              label="Routing"
              hint="How a request picks among deployments of one priority."
              error={errors.routingStrategy?.message}
            >
              {(control) => (
                <Controller
                  control={form.control}
                  name="routingStrategy"
                  render={({ field }) => (
                    <Select
                      {...control}
                      value={field.value}
                      onValueChange={field.onChange}
                      options={ROUTING_OPTIONS}
                    />
                  )}
                />
              )}
            </Field>
          </div>
          {isNew ? (
            <Controller
              control={form.control}
              name="tiers"
              render={({ field }) => (
                <CheckboxGroup
                  legend="Tiers that may call it"
                  options={(tiers.data ?? []).map((tier) => ({
                    value: tier.slug,
                    label: tier.name,
                    hint: tier.slug,
                  }))}
                  value={field.value}
                  onChange={field.onChange}
                  error={errors.tiers?.message}
                />
              )}
            />
          ) : null}
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}
