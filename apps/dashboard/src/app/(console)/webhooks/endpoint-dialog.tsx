"use client";

import {
  ORGANIZATION_WEBHOOK_EVENT_TYPES,
  SUBSCRIBABLE_WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from "@dsc/trpc/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CheckboxGroup } from "../../../components/ui/checkbox-group.tsx";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";
import { WEBHOOK_EVENT_LABELS } from "./webhook-event-labels.ts";
import { WebhookSecretReveal } from "./webhook-secret-reveal.tsx";
import type { WebhookEndpoint } from "./webhooks-view.tsx";

const optionsOf = (types: readonly WebhookEventType[]) =>
  types.map((value) => ({
    value,
    label: WEBHOOK_EVENT_LABELS[value].label,
    hint: WEBHOOK_EVENT_LABELS[value].hint,
  }));
// an organization's endpoint is never sent the platform's own events (a deployment's breaker)
const PLATFORM_EVENT_OPTIONS = optionsOf(SUBSCRIBABLE_WEBHOOK_EVENT_TYPES);
const ORGANIZATION_EVENT_OPTIONS = optionsOf(ORGANIZATION_WEBHOOK_EVENT_TYPES);

/** Registers an endpoint (endpoint = null; its secret is then shown once) or edits one. */
export function EndpointDialog({
  endpoint,
  organizationId,
  onClose,
}: {
  endpoint: WebhookEndpoint | null;
  /** the owner of a new endpoint; null: the platform */
  organizationId: string | null;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState(endpoint?.url ?? "");
  const [description, setDescription] = useState(endpoint?.description ?? "");
  const [eventTypes, setEventTypes] = useState<WebhookEventType[]>(
    (endpoint?.eventTypes as WebhookEventType[] | undefined) ?? [],
  );
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
  const create = useMutation(
    trpc.webhooks.create.mutationOptions({ onSuccess: refresh, onError: (e) => setError(errorMessage(e)) }),
  );
  const update = useMutation(
    trpc.webhooks.update.mutationOptions({
      onSuccess: async () => {
        await refresh();
        onClose();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  if (create.data) {
    return <WebhookSecretReveal title="Endpoint registered" secret={create.data.secret} onClose={onClose} />;
  }
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        wide
        title={endpoint ? "Edit endpoint" : "New webhook endpoint"}
        description={
          organizationId === null
            ? "A platform endpoint receives the events of every organization it subscribes to."
            : "It receives this organization's events it subscribes to."
        }
      >
        <DialogForm
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            if (eventTypes.length === 0) {
              setError("Choose at least one event.");
              return;
            }
            if (endpoint) update.mutate({ endpointId: endpoint.id, url, description, eventTypes });
            else create.mutate({ organizationId, url, description, eventTypes });
          }}
          formError={error}
          submitLabel={endpoint ? "Save" : "Create endpoint"}
          isPending={create.isPending || update.isPending}
        >
          <Field label="URL" hint="https:// (or http://) on a public address.">
            {(control) => (
              <Input
                {...control}
                autoFocus
                name="url"
                placeholder="https://example.com/webhooks/dsc"
                value={url}
                onChange={(event) => setUrl(event.target.value)}
              />
            )}
          </Field>
          <Field label="Description" hint="Optional: who receives it, for what.">
            {(control) => (
              <Input
                {...control}
                name="description"
                value={description}
                onChange={(event) => setDescription(event.target.value)}
              />
            )}
          </Field>
          <CheckboxGroup
            legend="Events"
            options={
              (endpoint ? endpoint.organizationId : organizationId) === null
                ? PLATFORM_EVENT_OPTIONS
                : ORGANIZATION_EVENT_OPTIONS
            }
            value={eventTypes}
            onChange={setEventTypes}
          />
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}
