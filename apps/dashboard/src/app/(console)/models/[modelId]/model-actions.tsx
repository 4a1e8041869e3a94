"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDate } from "../../../../components/format.ts";
import { Button } from "../../../../components/ui/button.tsx";
import { CheckboxGroup } from "../../../../components/ui/checkbox-group.tsx";
import { TriggeredDialog } from "../../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../../components/ui/dialog-form.tsx";
import { Field } from "../../../../components/ui/field.tsx";
import { Input } from "../../../../components/ui/input.tsx";
import { Select } from "../../../../components/ui/select.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useFormError } from "../../../../trpc/use-form-error.ts";
import type { Model } from "../models-list.tsx";

const NONE = "__none__";

/** After a change: the model, the list and every other model (aliases are listed on both sides). */
function useModelsChanged(onDone: () => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
    onDone();
  };
}

/** The other models, as choices of a select, with "none" first. */
function useOtherModels(model: Model, noneLabel: string) {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions());
  return [
    { value: NONE, label: noneLabel },
    ...(models.data ?? [])
      .filter((other) => other.id !== model.id)
      .map((other) => ({ value: other.id, label: other.id })),
  ];
}

/** Enable or disable (confirmed), retire with a date and a replacement (confirmed), or un-retire. */
export function ModelLifecycleActions({ model }: { model: Model }) {
  return (
    <div className="flex flex-wrap gap-2">
      <TriggeredDialog
        trigger={
          <Button variant={model.isEnabled ? "danger" : "primary"}>
            {model.isEnabled ? "Disable" : "Enable"}
          </Button>
        }
        title={model.isEnabled ? `Disable ${model.id}?` : `Enable ${model.id}?`}
        description={
          model.isEnabled
            ? "Clients get 404 model_not_found for it on every gateway within a second, and it leaves /v1/models. Aliases of it stop answering too."
            : "The tiers it is given may call it again on every gateway within a second."
        }
      >
        {(close) => <SetEnabledForm model={model} onDone={close} />}
      </TriggeredDialog>
      {model.shutdownAt ? (
        <TriggeredDialog
          trigger={<Button variant="secondary">Cancel retirement</Button>}
          title={`Cancel the retirement of ${model.id}?`}
          description={`It keeps being served after ${formatDate(model.shutdownAt)}, without a deprecation warning.`}
        >
          {(close) => <UnretireForm model={model} onDone={close} />}
        </TriggeredDialog>
      ) : (
        <TriggeredDialog
          trigger={<Button variant="secondary">Retire…</Button>}
          title={`Retire ${model.id}`}
          description="Until the date, it is served with a deprecation warning and listed with its shutdown date; after it, requests get 404 model_not_found naming the replacement."
        >
          {(close) => <RetireForm model={model} onDone={close} />}
        </TriggeredDialog>
      )}
    </div>
  );
}

function SetEnabledForm({ model, onDone }: { model: Model; onDone: () => void }) {
  const trpc = useTRPC();
  const failure = useFormError();
  const mutation = useMutation(
    trpc.models.setEnabled.mutationOptions({ onSuccess: useModelsChanged(onDone), onError: failure.onError }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => mutation.mutate({ modelId: model.id, isEnabled: !model.isEnabled }))}
      formError={failure.formError}
      submitLabel={model.isEnabled ? "Disable model" : "Enable model"}
      submitVariant={model.isEnabled ? "danger" : "primary"}
      isPending={mutation.isPending}
    >
      <p className="text-sm text-text-muted">The change is audited.</p>
    </DialogForm>
  );
}

function UnretireForm({ model, onDone }: { model: Model; onDone: () => void }) {
  const trpc = useTRPC();
  const failure = useFormError();
  const mutation = useMutation(
    trpc.models.unretire.mutationOptions({ onSuccess: useModelsChanged(onDone), onError: failure.onError }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => mutation.mutate({ modelId: model.id }))}
      formError={failure.formError}
      submitLabel="Cancel retirement"
      isPending={mutation.isPending}
    >
      <p className="text-sm text-text-muted">The change is audited.</p>
    </DialogForm>
  );
}

/** `YYYY-MM-DD` of a day in UTC, as the shutdown date is shown in `shutdown_date`. */
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

function RetireForm({ model, onDone }: { model: Model; onDone: () => void }) {
  const trpc = useTRPC();
  const failure = useFormError();
  const [day, setDay] = useState(() => utcDay(new Date(Date.now() + 90 * 86_400_000)));
  const [replacement, setReplacement] = useState(NONE);
  const [dayError, setDayError] = useState<string | undefined>();
  const choices = useOtherModels(model, "No replacement");
  const mutation = useMutation(
    trpc.models.retire.mutationOptions({ onSuccess: useModelsChanged(onDone), onError: failure.onError }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => {
        const shutdownAt = /^\d{4}-\d{2}-\d{2}$/.test(day) ? new Date(`${day}T00:00:00Z`) : null;
        if (!shutdownAt || Number.isNaN(shutdownAt.getTime()))
          return setDayError("Choose the shutdown date.");
        if (shutdownAt <= new Date()) return setDayError("Choose a date in the future.");
        setDayError(undefined);
        mutation.mutate({
          modelId: model.id,
          shutdownAt,
          replacementModelId: replacement === NONE ? null : replacement,
        });
      })}
      formError={failure.formError}
      submitLabel="Retire model"
      submitVariant="danger"
      isPending={mutation.isPending}
    >
      <Field
        label="Shutdown date (UTC)"
        hint="Requests are refused from 00:00 UTC that day."
        error={dayError}
      >
        {(control) => (
          <Input {...control} type="date" value={day} onChange={(event) => setDay(event.target.value)} />
        )}
      </Field>
      <Field label="Replacement" hint="Named to clients in the warning and in the 404 afterwards.">
        {(control) => (
          <Select {...control} value={replacement} onValueChange={setReplacement} options={choices} />
        )}
      </Field>
    </DialogForm>
  );
}

/** Which tiers may call the model. */
export function ModelTiersButton({ model }: { model: Model }) {
  return (
    <TriggeredDialog
      trigger={
        <Button variant="secondary" size="sm">
          Tiers
        </Button>
      }
      title={`Tiers that may call ${model.id}`}
      description="Organizations on the chosen tiers may call it from their next request; the others get 404."
    >
      {(close) => <TiersForm model={model} onDone={close} />}
    </TriggeredDialog>
  );
}

function TiersForm({ model, onDone }: { model: Model; onDone: () => void }) {
  const trpc = useTRPC();
  const tiers = useQuery(trpc.tiers.list.queryOptions());
  const [chosen, setChosen] = useState<string[]>(model.tiers);
  const failure = useFormError();
  const mutation = useMutation(
    trpc.models.setTiers.mutationOptions({ onSuccess: useModelsChanged(onDone), onError: failure.onError }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => mutation.mutate({ modelId: model.id, tiers: chosen }))}
      formError={failure.formError}
      submitLabel="Save tiers"
      isPending={mutation.isPending}
    >
      {tiers.isError ? (
        <p role="alert" className="text-sm text-danger">
          The tiers could not be loaded. Close this and try again.
        </p>
      ) : (
        <CheckboxGroup
          legend="Tiers"
          options={(tiers.data ?? []).map((tier) => ({
            value: tier.slug,
            label: tier.name,
            hint: tier.slug,
          }))}
          value={chosen}
          onChange={setChosen}
        />
      )}
    </DialogForm>
  );
}

/** The model's alias target and fallback. */
export function ModelLinksButton({ model }: { model: Model }) {
  return (
    <TriggeredDialog
      trigger={
        <Button variant="secondary" size="sm">
          Alias and fallback
        </Button>
      }
      title={`Alias and fallback of ${model.id}`}
      description="An alias is another name of a model, served and billed as it. A fallback answers when every deployment of this model is down. No loops, and no alias of an alias."
    >
      {(close) => <LinksForm model={model} onDone={close} />}
    </TriggeredDialog>
  );
}

function LinksForm({ model, onDone }: { model: Model; onDone: () => void }) {
  const trpc = useTRPC();
  const [aliasOf, setAliasOf] = useState(model.aliasOf ?? NONE);
  const [fallback, setFallback] = useState(model.fallbackModelId ?? NONE);
  const aliasChoices = useOtherModels(model, "Not an alias");
  const fallbackChoices = useOtherModels(model, "No fallback");
  const failure = useFormError();
  const done = useModelsChanged(onDone);
  const setAlias = useMutation(trpc.models.setAlias.mutationOptions());
  const setFallbackModel = useMutation(trpc.models.setFallback.mutationOptions());
  return (
    <DialogForm
      onSubmit={failure.submit(async () => {
        try {
          const nextAlias = aliasOf === NONE ? null : aliasOf;
          const nextFallback = fallback === NONE ? null : fallback;
          if (nextAlias !== model.aliasOf)
            await setAlias.mutateAsync({ modelId: model.id, aliasOf: nextAlias });
          if (nextFallback !== model.fallbackModelId) {
            await setFallbackModel.mutateAsync({ modelId: model.id, fallbackModelId: nextFallback });
          }
          await done();
        } catch (error) {
          failure.onError(error);
        }
      })}
      formError={failure.formError}
      submitLabel="Save"
      isPending={setAlias.isPending || setFallbackModel.isPending}
    >
      <Field label="Alias of">
        {(control) => (
          <Select {...control} value={aliasOf} onValueChange={setAliasOf} options={aliasChoices} />
        )}
      </Field>
      <Field label="Fallback">
        {(control) => (
          <Select {...control} value={fallback} onValueChange={setFallback} options={fallbackChoices} />
        )}
      </Field>
    </DialogForm>
  );
}
