"use client";

import { DeploymentSettingsInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Button } from "../../../../components/ui/button.tsx";
import { Dialog, DialogContent, TriggeredDialog } from "../../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../../components/ui/dialog-form.tsx";
import { Field } from "../../../../components/ui/field.tsx";
import { Input } from "../../../../components/ui/input.tsx";
import { FormSwitchField } from "../../../../components/ui/switch-field.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useFormError } from "../../../../trpc/use-form-error.ts";
import { useSaveOutcome } from "../../../../trpc/use-save-outcome.ts";
import type { Deployment } from "./model-details.tsx";

type Values = z.input<typeof DeploymentSettingsInputSchema>;
const FIELDS = [
  "upstreamBaseUrl",
  "upstreamModel",
  "apiKeyRef",
  "weight",
  "priority",
  "requestsPerMinute",
  "tokensPerMinute",
  "connectTimeoutMs",
  "firstByteTimeoutMs",
  "totalTimeoutMs",
  "healthCheckIntervalMs",
] as const;
type NumberName = Extract<(typeof FIELDS)[number], "weight" | "priority" | `${string}Minute` | `${string}Ms`>;

const numberOrNull = (value: unknown) => (value === "" || value === null ? null : Number(value));
const numberValue = (value: unknown) => (value === "" ? Number.NaN : Number(value));

/** Adds a deployment to the model (deployment = null) or edits one. */
export function DeploymentDialog({
  modelId,
  deployment,
  onClose,
}: {
  modelId: string;
  deployment: Deployment | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<Values>({
    resolver: zodResolver(DeploymentSettingsInputSchema),
    defaultValues: deployment
      ? {
          upstreamBaseUrl: deployment.upstreamBaseUrl ?? "",
          upstreamModel: deployment.upstreamModel ?? "",
          apiKeyRef: deployment.apiKeyRef ?? "",
          weight: deployment.weight,
          priority: deployment.priority,
          requestsPerMinute: deployment.requestsPerMinute,
          tokensPerMinute: deployment.tokensPerMinute,
          connectTimeoutMs: deployment.connectTimeoutMs,
          firstByteTimeoutMs: deployment.firstByteTimeoutMs,
          totalTimeoutMs: deployment.totalTimeoutMs,
          healthCheckIntervalMs: deployment.healthCheckIntervalMs,
          isEnabled: deployment.isEnabled,
        }
      : {
          upstreamBaseUrl: "",
          upstreamModel: "",
          apiKeyRef: "",
          weight: 1,
          priority: 0,
          requestsPerMinute: null,
          tokensPerMinute: null,
          connectTimeoutMs: null,
          firstByteTimeoutMs: null,
          totalTimeoutMs: null,
          healthCheckIntervalMs: null,
          isEnabled: true,
        },
  });
  const outcome = useSaveOutcome(form, FIELDS);
  const options = outcome.callbacks(async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
    onClose();
  });
  const add = useMutation(trpc.models.addDeployment.mutationOptions(options));
  const update = useMutation(trpc.models.updateDeployment.mutationOptions(options));
  const { errors } = form.formState;

  const numberField = (
    name: NumberName,
    label: string,
    { hint, nullable = false }: { hint?: string; nullable?: boolean } = {},
  ) => (
    <Field label={label} hint={hint} error={errors[name]?.message}>
      {(control) => (
        <Input
          {...control}
          type="number"
          inputMode="numeric"
          min={0}
          placeholder={nullable ? "Default" : undefined}
          {...form.register(name, { setValueAs: nullable ? numberOrNull : numberValue })}
        />
      )}
    </Field>
  );

  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        wide
        title={deployment ? "Edit deployment" : "Add deployment"}
        description="An OpenAI-compatible server that serves this model. Its key stays in the gateway's UPSTREAM_API_KEYS; name it here."
      >
        <DialogForm
          onSubmit={outcome.submit((values) => {
            const settings = values as z.output<typeof DeploymentSettingsInputSchema>;
            if (deployment) update.mutate({ ...settings, modelId, deploymentId: deployment.id });
            else add.mutate({ ...settings, modelId });
          })}
          formError={outcome.formError}
          submitLabel={deployment ? "Save deployment" : "Add deployment"}
          isPending={add.isPending || update.isPending}
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <Field
              label="Base URL"
              hint="Up to the API version, e.g. http://vllm-1:8000/v1. Empty: the default upstream."
              error={errors.upstreamBaseUrl?.message}
              className="sm:col-span-2"
            >
              {(control) => (
                <Input {...control} autoFocus placeholder="https://" {...form.register("upstreamBaseUrl")} />
              )}
            </Field>
            <Field
              label="Upstream model"
              hint="The name sent upstream. Empty: the model's id."
              error={errors.upstreamModel?.message}
            >
              {(control) => <Input {...control} {...form.register("upstreamModel")} />}
            </Field>
            <Field
              label="Key reference"
              hint="The name of its key in UPSTREAM_API_KEYS — never the key. Empty: the key of its address, if any."
              error={errors.apiKeyRef?.message}
            >
              {(control) => <Input {...control} autoComplete="off" {...form.register("apiKeyRef")} />}
            </Field>
            {numberField("weight", "Weight", {
              hint: "Its share of the group's requests; 0: only when the others are down.",
            })}
            {numberField("priority", "Priority", {
              hint: "Lower is preferred; a higher group serves only when no lower one can.",
            })}
            {numberField("requestsPerMinute", "Requests per minute", {
              nullable: true,
              hint: "Per gateway. Empty: no limit.",
            })}
            {numberField("tokensPerMinute", "Tokens per minute", {
              nullable: true,
              hint: "Per gateway. Empty: no limit.",
            })}
            {numberField("connectTimeoutMs", "Connect timeout (ms)", { nullable: true })}
            {numberField("firstByteTimeoutMs", "First-byte timeout (ms)", { nullable: true })}
            {numberField("totalTimeoutMs", "Total timeout (ms)", {
              nullable: true,
              hint: "Empty: the gateway's UPSTREAM_*_TIMEOUT_MS.",
            })}
            {numberField("healthCheckIntervalMs", "Health check interval (ms)", {
              nullable: true,
              hint: "GET <base URL>/models this often, feeding the breaker. Empty: no active checks.",
            })}
            <FormSwitchField
              control={form.control}
              name="isEnabled"
              id="deployment-enabled"
              label="Enabled"
              hint="A disabled deployment gets no requests."
            />
          </div>
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}

/** Removes a deployment after a confirmation that says what happens to its requests. */
export function RemoveDeploymentButton({ modelId, deployment }: { modelId: string; deployment: Deployment }) {
  return (
    <TriggeredDialog
      trigger={
        <Button variant="danger" size="sm" aria-label={`Remove deployment ${deployment.id}`}>
          Remove
        </Button>
      }
      title="Remove this deployment?"
      description={`Requests in flight to ${deployment.upstreamBaseUrl ?? "the default upstream"} finish; new ones go to the model's other deployments. The removal is audited.`}
    >
      {(close) => <RemoveDeploymentForm modelId={modelId} deploymentId={deployment.id} onDone={close} />}
    </TriggeredDialog>
  );
}

function RemoveDeploymentForm({
  modelId,
  deploymentId,
  onDone,
}: {
  modelId: string;
  deploymentId: string;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const failure = useFormError();
  const remove = useMutation(
    trpc.models.removeDeployment.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.models.pathKey() });
        onDone();
      },
      onError: failure.onError,
    }),
  );
  return (
    <DialogForm
      onSubmit={failure.submit(() => remove.mutate({ modelId, deploymentId }))}
      formError={failure.formError}
      submitLabel="Remove deployment"
      submitVariant="danger"
      isPending={remove.isPending}
    >
      <p className="text-sm text-text-muted">
        Deployment <code className="text-xs">{deploymentId}</code>
      </p>
    </DialogForm>
  );
}
