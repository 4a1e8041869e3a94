"use client";

import { type QuickstartExample, type QuickstartExampleId, quickstartExamples } from "@dsc/core/onboarding";
import { type AccessRole, DEFAULT_API_KEY_SCOPES } from "@dsc/trpc/schemas";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { type ReactNode, useMemo, useState } from "react";
import { SecretReveal } from "../../../components/credentials/secret-reveal.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { CopyButton } from "../../../components/ui/copy-button.tsx";
import { CopyableValue } from "../../../components/ui/copyable-value.tsx";
import { cx } from "../../../components/ui/cx.ts";
import { FormError } from "../../../components/ui/field.tsx";
import { CheckIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";

/** What the examples show until a key is created here (the secret is never read back). */
export const API_KEY_PLACEHOLDER = "YOUR_API_KEY";

const FIRST_KEY_NAME = "My first key";

export function GettingStartedView({
  role,
  organizationId,
  isEmailVerified,
  gatewayUrl,
  model,
}: {
  role: AccessRole;
  /** the organization the member works in now; null for an admin */
  organizationId: string | null;
  isEmailVerified: boolean;
  /** GATEWAY_PUBLIC_URL, without /v1 */
  gatewayUrl: string;
  /** a model the organization may call */
  model: string;
}) {
  const [secret, setSecret] = useState<string | null>(null);
  let step = 0;
  return (
    <>
      <PageHeader
        title="Getting started"
        description="Three steps to your first API call. The API speaks OpenAI's protocol, so the SDKs you know work as they are."
      />
      <ol className="flex max-w-4xl flex-col gap-5">
        {isEmailVerified ? null : (
          <Step number={++step} title="Verify your e-mail address">
            <VerifyEmail />
          </Step>
        )}
        <Step number={++step} title="Create your first API key">
          <FirstKey
            role={role}
            organizationId={organizationId}
            isEmailVerified={isEmailVerified}
            secret={secret}
            gatewayUrl={gatewayUrl}
            onCreated={setSecret}
          />
        </Step>
        <Step number={++step} title="Make your first call">
          <FirstCall gatewayUrl={gatewayUrl} apiKey={secret ?? API_KEY_PLACEHOLDER} model={model} />
        </Step>
      </ol>
      <nav aria-label="Next steps" className="mt-8 flex max-w-4xl flex-wrap gap-3">
        <Button variant="secondary" asChild>
          <Link href="/api-keys">API keys</Link>
        </Button>
        <Button variant="secondary" asChild>
          <Link href="/usage">Usage</Link>
        </Button>
        {organizationId ? (
          <Button variant="secondary" asChild>
            <Link href={`/organizations/${encodeURIComponent(organizationId)}#data-collection`}>
              Data collection settings
            </Link>
          </Button>
        ) : null}
      </nav>
    </>
  );
}

function Step({ number, title, children }: { number: number; title: string; children: ReactNode }) {
  return (
    <li className="flex gap-4 rounded-lg border border-border bg-surface p-5 shadow-sm">
      <span
        aria-hidden
        className="inline-flex size-8 shrink-0 items-center justify-center rounded-full bg-accent-soft text-sm font-semibold text-accent"
      >
        {number}
      </span>
      <div className="flex min-w-0 flex-1 flex-col gap-3">
        <h2 className="text-base font-semibold text-text">{title}</h2>
        {children}
      </div>
    </li>
  );
}

function VerifyEmail() {
  const trpc = useTRPC();
  const send = useMutation(trpc.account.sendVerificationEmail.mutationOptions());
  return (
    <>
      <p className="text-sm text-text-muted">
        We sent a link to your address. Follow it to create API keys; it works for 24 hours.
      </p>
      <FormError message={send.error ? errorMessage(send.error) : null} />
      {send.isSuccess ? (
        <p role="status" className="flex items-center gap-1.5 text-sm text-text">
          <CheckIcon className="size-4 text-success" /> A new link is on its way. Check your inbox.
        </p>
      ) : null}
      <div>
        <Button variant="secondary" isPending={send.isPending} onClick={() => send.mutate()}>
          Send the link again
        </Button>
      </div>
    </>
  );
}

function FirstKey({
  role,
  organizationId,
  isEmailVerified,
  secret,
  gatewayUrl,
  onCreated,
}: {
  role: AccessRole;
  organizationId: string | null;
  isEmailVerified: boolean;
  secret: string | null;
  gatewayUrl: string;
  onCreated: (secret: string) => void;
}) {
  const trpc = useTRPC();
  const [revealed, setRevealed] = useState<string | null>(null);
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: (result) => {
        onCreated(result.secret);
        setRevealed(result.secret);
      },
    }),
  );
  if (role === "VIEWER") {
    return (
      <p className="text-sm text-text-muted">
        As a viewer you read your organization's keys and usage. A developer or owner of your organization
        creates API keys; ask one of them for a key.
      </p>
    );
  }
  if (organizationId === null) {
    return (
      <p className="text-sm text-text-muted">
        Keys belong to organizations: create one for an organization under{" "}
        <Link href="/api-keys">API keys</Link>, then use it below.
      </p>
    );
  }
  const reveal = revealed ? (
    <SecretReveal
      title={`${FIRST_KEY_NAME} is ready`}
      secretName="secret key"
      secret={revealed}
      description="Copy the secret key now: it will not be shown again. The platform keeps only a hash of it."
      usage={`curl ${gatewayUrl}/v1/models \\\n  -H "Authorization: Bearer ${revealed}"`}
      onClose={() => setRevealed(null)}
    />
  ) : null;
  if (secret) {
    // the dialog shows the new secret once, over the step that now says it exists
    return (
      <>
        <p className="flex items-center gap-1.5 text-sm text-text">
          <CheckIcon className="size-4 text-success" /> “{FIRST_KEY_NAME}” is created and filled into the
          examples below. Copy it now: it will not be shown again.
        </p>
        {reveal}
      </>
    );
  }
  return (
    <>
      <p className="text-sm text-text-muted">
        A key calls the API as your organization, with the scopes to list models, chat and use files. Its
        secret is shown once: copy it when it appears, it will not be shown again.
      </p>
      <FormError message={create.error ? errorMessage(create.error) : null} />
      <div>
        <Button
          isPending={create.isPending}
          disabled={!isEmailVerified}
          onClick={() =>
            create.mutate({
              organizationId,
              name: FIRST_KEY_NAME,
              scopes: [...DEFAULT_API_KEY_SCOPES],
              allowPowerfulScopes: false,
              expiresIn: "90d",
            })
          }
        >
          Create my first key
        </Button>
        {isEmailVerified ? null : (
          <p className="mt-2 text-xs text-text-muted">Verify your e-mail address first.</p>
        )}
      </div>
    </>
  );
}

function FirstCall({ gatewayUrl, apiKey, model }: { gatewayUrl: string; apiKey: string; model: string }) {
  const examples = useMemo(() => examplesOrNull(gatewayUrl, apiKey, model), [gatewayUrl, apiKey, model]);
  const [selected, setSelected] = useState<QuickstartExampleId>("curl");
  const baseUrl = `${withoutTrailingSlashes(gatewayUrl)}/v1`;
  const example = examples?.find((candidate) => candidate.id === selected) ?? examples?.[0];
  return (
    <>
      <CopyableValue label="Base URL" value={baseUrl} look="secret" testId="base-url" />
      <p className="text-sm text-text-muted">
        Model: <code className="text-xs">{model}</code>
        {apiKey === API_KEY_PLACEHOLDER ? (
          <>
            {" "}
            · Replace <code className="text-xs">{API_KEY_PLACEHOLDER}</code> with your key.
          </>
        ) : null}
      </p>
      {examples && example ? (
        <div>
          <div role="tablist" aria-label="Examples" className="flex flex-wrap gap-1 border-b border-border">
            {examples.map((candidate) => (
              <button
                key={candidate.id}
                type="button"
                role="tab"
                id={`example-tab-${candidate.id}`}
                aria-selected={candidate.id === example.id}
                aria-controls="example-panel"
                onClick={() => setSelected(candidate.id)}
                className={cx(
                  "-mb-px cursor-pointer border-b-2 px-3 py-2 text-sm font-medium",
                  candidate.id === example.id
                    ? "border-accent text-accent"
                    : "border-transparent text-text-muted hover:text-text",
                )}
              >
                {candidate.label}
              </button>
            ))}
          </div>
          <ExamplePanel example={example} />
        </div>
      ) : (
        <p className="text-sm text-text-muted">
          The examples cannot be shown for this gateway address. Check GATEWAY_PUBLIC_URL.
        </p>
      )}
    </>
  );
}

function ExamplePanel({ example }: { example: QuickstartExample }) {
  return (
    <div
      role="tabpanel"
      id="example-panel"
      aria-labelledby={`example-tab-${example.id}`}
      className="flex flex-col gap-3 pt-3"
    >
      {example.install ? (
        <div className="flex items-center justify-between gap-3">
          <pre className="min-w-0 flex-1 overflow-x-auto rounded-md bg-code-bg px-3 py-2 font-mono text-xs text-text">
            {example.install}
          </pre>
          <CopyButton value={example.install} label="Copy" />
        </div>
      ) : null}
      <div className="flex items-center justify-between gap-3">
        <span className="text-xs text-text-muted">{example.filename ?? "In a terminal"}</span>
        <CopyButton value={example.code} label="Copy code" />
      </div>
      <pre
        data-testid={`example-${example.id}`}
        className="overflow-x-auto rounded-md bg-code-bg px-3 py-2.5 font-mono text-xs leading-relaxed text-text"
      >
        {example.code}
      </pre>
    </div>
  );
}

/** The examples, or null when the configured address is not one they can show. */
function examplesOrNull(gatewayUrl: string, apiKey: string, model: string): QuickstartExample[] | null {
  try {
    return quickstartExamples({ baseUrl: gatewayUrl, apiKey, model });
  } catch {
    return null;
  }
}

function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === "/") end--;
  return url.slice(0, end);
}
