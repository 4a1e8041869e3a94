"use client";

import { GRACE_CHOICES, type GraceChoice } from "@dsc/trpc/schemas";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "../../../components/format.ts";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field, FormError } from "../../../components/ui/field.tsx";
import { Select } from "../../../components/ui/select.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";
import { WebhookSecretReveal } from "./webhook-secret-reveal.tsx";
import type { WebhookEndpoint } from "./webhooks-view.tsx";

// the default, and longest, first
const GRACE_OPTIONS = (["24h", "1h", "none"] as const).map((value) => ({
  value,
  label: GRACE_CHOICES[value].label,
}));

/** A new signing secret; the old one also signs deliveries for the grace period chosen. */
export function RotateSecretDialog({
  endpoint,
  onClose,
}: {
  endpoint: WebhookEndpoint;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [grace, setGrace] = useState<GraceChoice>("24h");
  const [error, setError] = useState<string | null>(null);
  const rotate = useMutation(
    trpc.webhooks.rotateSecret.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() }),
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  if (rotate.data) {
    const until = rotate.data.endpoint.previousSecretExpiresAt;
    return (
      <WebhookSecretReveal
        title="New signing secret"
        secret={rotate.data.secret}
        note={
          until
            ? `Deliveries carry a signature with each secret until ${formatDateTime(until)}.`
            : "The previous secret no longer signs deliveries."
        }
        onClose={onClose}
      />
    );
  }
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent title="Rotate the signing secret" description={endpoint.url}>
        <DialogForm
          onSubmit={(event) => {
            event.preventDefault();
            setError(null);
            rotate.mutate({ endpointId: endpoint.id, gracePeriod: grace });
          }}
          formError={error}
          submitLabel="Rotate"
          isPending={rotate.isPending}
        >
          <Field label="The old secret also signs for">
            {(control) => (
              <Select
                {...control}
                value={grace}
                onValueChange={(value) => setGrace(value as GraceChoice)}
                options={GRACE_OPTIONS}
              />
            )}
          </Field>
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}

/** Deletes an endpoint with its deliveries, after confirmation. */
export function DeleteEndpointDialog({
  endpoint,
  onClose,
}: {
  endpoint: WebhookEndpoint;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const remove = useMutation(
    trpc.webhooks.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.webhooks.pathKey() });
        onClose();
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        title="Delete this endpoint?"
        description={`${endpoint.url} receives nothing more, and its deliveries are deleted with it.`}
      >
        <FormError message={error} />
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button
            variant="danger"
            isPending={remove.isPending}
            onClick={() => {
              setError(null);
              remove.mutate({ endpointId: endpoint.id });
            }}
          >
            Delete endpoint
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
