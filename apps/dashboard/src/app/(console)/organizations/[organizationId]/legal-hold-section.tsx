"use client";

import {
  LEGAL_HOLD_REASON_MAX_LENGTH,
  type SetLegalHoldInput,
  SetLegalHoldInputSchema,
} from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { formatDateTime } from "../../../../components/format.ts";
import { Badge } from "../../../../components/ui/badge.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../../components/ui/dialog-form.tsx";
import { Field } from "../../../../components/ui/field.tsx";
import { Input } from "../../../../components/ui/input.tsx";
import { Section } from "../../../../components/ui/page-header.tsx";
import { ErrorState, LoadingRows } from "../../../../components/ui/states.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { errorMessage } from "../../../../trpc/errors.ts";
import { useSaveOutcome } from "../../../../trpc/use-save-outcome.ts";

/**
 * Whether the organization's data is held beyond its retention, since when and why. Admins
 * see it; only compliance officers place or lift a hold (segregation of duties).
 */
export function LegalHoldSection({
  organizationId,
  canChange,
}: {
  organizationId: string;
  canChange: boolean;
}) {
  const trpc = useTRPC();
  const hold = useQuery(trpc.organizations.legalHold.queryOptions({ organizationId }));
  const action =
    canChange && hold.data ? (
      <LegalHoldDialog organizationId={organizationId} isOnHold={hold.data.isOnHold} />
    ) : null;

  return (
    <Section
      title="Legal hold"
      description="While a hold is on, no chat log or file of this organization is purged, however old."
      actions={action}
    >
      {hold.isPending ? (
        <LoadingRows columns={2} rows={1} label="Loading the legal hold" />
      ) : hold.isError ? (
        <ErrorState message={errorMessage(hold.error)} onRetry={() => hold.refetch()} />
      ) : hold.data.isOnHold ? (
        <dl className="flex flex-col gap-3" data-testid="legal-hold-state">
          <div>
            <Badge tone="danger">On hold</Badge>
          </div>
          <div className="flex flex-col gap-0.5">
            <dt className="text-xs text-text-muted">Since</dt>
            <dd className="text-sm text-text">
              {hold.data.since ? formatDateTime(hold.data.since) : "Not recorded (set outside the dashboard)"}
            </dd>
          </div>
          <div className="flex flex-col gap-0.5">
            <dt className="text-xs text-text-muted">Reason</dt>
            <dd className="text-sm whitespace-pre-wrap text-text">{hold.data.reason ?? "Not recorded"}</dd>
          </div>
        </dl>
      ) : (
        <p className="text-sm text-text-muted" data-testid="legal-hold-state">
          <Badge tone="neutral">No hold</Badge> Chat logs and files are purged when their retention ends.
        </p>
      )}
      {canChange ? null : (
        <p className="mt-4 text-sm text-text-muted">Only compliance officers place or lift a legal hold.</p>
      )}
    </Section>
  );
}

function LegalHoldDialog({ organizationId, isOnHold }: { organizationId: string; isOnHold: boolean }) {
  return (
    <TriggeredDialog
      trigger={
        <Button variant={isOnHold ? "secondary" : "danger"} size="sm">
          {isOnHold ? "Lift legal hold…" : "Place legal hold…"}
        </Button>
      }
      title={isOnHold ? "Lift the legal hold?" : "Place a legal hold?"}
      description={
        isOnHold
          ? "Retention applies again: logs and files past it are purged at the next run, within ten minutes, and cannot be brought back."
          : "Every chat log and file of this organization is kept, whatever its retention, until the hold is lifted."
      }
    >
      {(close) => <LegalHoldForm organizationId={organizationId} isPlacing={!isOnHold} onDone={close} />}
    </TriggeredDialog>
  );
}

function LegalHoldForm({
  organizationId,
  isPlacing,
  onDone,
}: {
  organizationId: string;
  isPlacing: boolean;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<SetLegalHoldInput>({
    resolver: zodResolver(SetLegalHoldInputSchema),
    defaultValues: { organizationId, legalHold: isPlacing, reason: "" },
  });
  const outcome = useSaveOutcome(form, ["reason"]);
  const setHold = useMutation(
    trpc.organizations.setLegalHold.mutationOptions(
      outcome.callbacks(async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.organizations.pathKey() });
        onDone();
      }),
    ),
  );

  return (
    <DialogForm
      onSubmit={outcome.submit((values) => setHold.mutate(values))}
      formError={outcome.formError}
      submitLabel={isPlacing ? "Place legal hold" : "Lift legal hold"}
      submitVariant={isPlacing ? "danger" : "primary"}
      isPending={setHold.isPending}
    >
      <Field
        label={isPlacing ? "Reason" : "Reason (optional)"}
        hint="The matter or case reference. It is kept in the audit trail for good: do not name people."
        error={form.formState.errors.reason?.message}
      >
        {(control) => (
          <Input
            {...control}
            autoFocus
            autoComplete="off"
            maxLength={LEGAL_HOLD_REASON_MAX_LENGTH}
            {...form.register("reason")}
          />
        )}
      </Field>
    </DialogForm>
  );
}
