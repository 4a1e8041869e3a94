"use client";

import type { AppRouter } from "@dsc/trpc";
import {
  CHAT_LOG_REASON_MAX_LENGTH,
  type OpenConversationLogInput,
  OpenConversationLogInputSchema,
} from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { formatDateTime, formatNumber } from "../../../../components/format.ts";
import { OrganizationLink } from "../../../../components/organization-link.tsx";
import { Badge } from "../../../../components/ui/badge.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { TriggeredDialog } from "../../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../../components/ui/dialog-form.tsx";
import { Field } from "../../../../components/ui/field.tsx";
import { ArrowLeftIcon, ShieldIcon } from "../../../../components/ui/icons.tsx";
import { PageHeader, Section } from "../../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../../components/ui/states.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../../trpc/use-save-outcome.ts";
import { ConversationView } from "./conversation-view.tsx";

type Outputs = inferRouterOutputs<AppRouter>["conversationLogs"];
type LogSummary = Outputs["get"];
type OpenedLog = Outputs["open"];

const ERASED_MESSAGE =
  "This log's end user or organization was erased: its content can no longer be read, and the log is deleted with the rest of the erasure.";

/**
 * A log deleted while its page was open (by an erasure or its retention): said plainly. The page
 * loaded it, so it did exist; an address that names no log is the route's 404 instead.
 */
function LogGone() {
  return (
    <>
      <PageHeader title="Conversation log" eyebrow={<BackLink />} />
      <EmptyState
        title="This log was erased or expired"
        description="It was deleted by an erasure or by its retention after this page was loaded."
        icon={<ShieldIcon className="size-6" />}
        action={
          <Link href="/conversation-logs" className="text-sm font-medium">
            Back to conversation logs
          </Link>
        }
      />
    </>
  );
}

function BackLink() {
  return (
    <Link href="/conversation-logs" className="inline-flex items-center gap-1 no-underline hover:underline">
      <ArrowLeftIcon className="size-4" /> Conversation logs
    </Link>
  );
}

/**
 * A log's metadata; its content once the viewer says why (masked), and as stored once they say
 * why again. Each opening is recorded in the audit log with the reason. What was read is kept in
 * this page only: leaving it forgets it.
 */
export function ConversationLogViewer({ log }: { log: LogSummary }) {
  const [opened, setOpened] = useState<OpenedLog | null>(null);
  const [isGone, setGone] = useState(false);
  if (isGone) return <LogGone />;
  const isErased = log.isErased || opened?.status === "erased";
  const conversation = opened?.status === "open" ? opened.conversation : null;

  return (
    <>
      <PageHeader
        title="Conversation log"
        eyebrow={<BackLink />}
        description={`Request ${log.requestId}`}
        actions={
          isErased ? null : conversation === null ? (
            <ReasonDialog chatLogId={log.id} mode="open" onOpened={setOpened} onGone={() => setGone(true)} />
          ) : conversation.isMasked ? (
            <ReasonDialog
              chatLogId={log.id}
              mode="unmask"
              onOpened={setOpened}
              onGone={() => setGone(true)}
            />
          ) : null
        }
      />
      <div className="flex flex-col gap-6">
        <LogDetails log={log} isErased={isErased} />
        {isErased ? (
          <div
            role="status"
            data-testid="log-erased"
            className="rounded-lg border border-border bg-surface p-5 text-sm text-text"
          >
            <Badge tone="danger">Erased</Badge> <span className="ml-2">{ERASED_MESSAGE}</span>
          </div>
        ) : conversation ? (
          <ConversationView conversation={conversation} />
        ) : (
          <EmptyState
            title="The content is not shown until you say why you read it"
            description="Opening it decrypts it on the server and records in the audit log that you read it, with your reason. Personal data is masked; you can then ask for the text as stored, which is recorded too."
            icon={<ShieldIcon className="size-6" />}
            action={
              <ReasonDialog
                chatLogId={log.id}
                mode="open"
                onOpened={setOpened}
                onGone={() => setGone(true)}
              />
            }
          />
        )}
      </div>
    </>
  );
}

function LogDetails({ log, isErased }: { log: LogSummary; isErased: boolean }) {
  const rows: [string, React.ReactNode][] = [
    ["Created", formatDateTime(log.createdAt)],
    ["Organization", <OrganizationLink key="org" id={log.organizationId} name={log.organizationName} />],
    ["Model", log.modelId],
    ["API key", log.apiKeyId ? `${log.apiKeyName ?? "Deleted key"} (${log.apiKeyId})` : "None"],
    ["End user", log.endUserId ?? "None"],
    ["Tokens", `${formatNumber(log.promptTokens)} in, ${formatNumber(log.completionTokens)} out`],
    ["Expires", formatDateTime(log.expiresAt)],
    [
      "Status",
      isErased ? (
        <Badge key="s" tone="danger">
          Erased
        </Badge>
      ) : (
        <Badge key="s" tone="neutral">
          Kept
        </Badge>
      ),
    ],
  ];
  return (
    <Section title="Details">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
        {rows.map(([label, value]) => (
          <div key={label} className="flex flex-col gap-0.5">
            <dt className="text-xs text-text-muted">{label}</dt>
            <dd className="text-sm break-all text-text">{value}</dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}

/** Asks why before the log is opened (masked) or shown as stored; the reason goes to the audit log. */
function ReasonDialog({
  chatLogId,
  mode,
  onOpened,
  onGone,
}: {
  chatLogId: string;
  mode: "open" | "unmask";
  onOpened: (log: OpenedLog) => void;
  onGone: () => void;
}) {
  return (
    <TriggeredDialog
      trigger={
        <Button variant={mode === "open" ? "primary" : "secondary"}>
          {mode === "open" ? "Open this log…" : "Show unmasked…"}
        </Button>
      }
      title={mode === "open" ? "Why do you open this log?" : "Why do you need the unmasked text?"}
      description={
        mode === "open"
          ? "Your reason is kept in the audit log with your name. Personal data stays masked."
          : "The text as stored, with e-mail addresses, phone numbers and the like. Your reason is kept in the audit log with your name."
      }
    >
      {(close) => (
        <ReasonForm
          chatLogId={chatLogId}
          mode={mode}
          onDone={(log) => {
            close();
            onOpened(log);
          }}
          onGone={onGone}
        />
      )}
    </TriggeredDialog>
  );
}

function ReasonForm({
  chatLogId,
  mode,
  onDone,
  onGone,
}: {
  chatLogId: string;
  mode: "open" | "unmask";
  onDone: (log: OpenedLog) => void;
  onGone: () => void;
}) {
  const trpc = useTRPC();
  const form = useForm<OpenConversationLogInput>({
    resolver: zodResolver(OpenConversationLogInputSchema),
    defaultValues: { chatLogId, reason: "" },
  });
  const outcome = useSaveOutcome(form, ["reason"]);
  const procedure = mode === "open" ? trpc.conversationLogs.open : trpc.conversationLogs.unmask;
  const callbacks = outcome.callbacks((log: OpenedLog) => onDone(log));
  const read = useMutation(
    procedure.mutationOptions({
      onSuccess: callbacks.onSuccess,
      onError: (error) => {
        // deleted since the page was loaded: a message, not a failure
        if ((error.data as { code?: string } | undefined)?.code === "NOT_FOUND") onGone();
        else callbacks.onError(error);
      },
    }),
  );
  return (
    <DialogForm
      onSubmit={outcome.submit((values) => read.mutate(values))}
      formError={outcome.formError}
      submitLabel={mode === "open" ? "Open the log" : "Show unmasked"}
      submitVariant={mode === "open" ? "primary" : "danger"}
      isPending={read.isPending}
    >
      <Field
        label="Reason"
        hint="A sentence: the case, ticket or request this is for."
        error={form.formState.errors.reason?.message}
      >
        {(control) => (
          <textarea
            {...control}
            rows={3}
            maxLength={CHAT_LOG_REASON_MAX_LENGTH}
            className="block w-full rounded-md border border-input-border bg-surface px-3 py-2 text-sm text-text aria-[invalid=true]:border-danger"
            {...form.register("reason")}
          />
        )}
      </Field>
    </DialogForm>
  );
}
