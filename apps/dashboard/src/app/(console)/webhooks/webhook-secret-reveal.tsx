"use client";

import { SecretReveal } from "../../../components/credentials/secret-reveal.tsx";

const VERIFY_EXAMPLE = `import { Webhook } from "standardwebhooks";\nconst event = new Webhook(process.env.WEBHOOK_SECRET).verify(rawBody, headers);`;

/** A new signing secret, shown this once: the platform keeps it only encrypted, to sign with. */
export function WebhookSecretReveal({
  title,
  secret,
  note,
  onClose,
}: {
  title: string;
  secret: string;
  note?: string;
  onClose: () => void;
}) {
  return (
    <SecretReveal
      title={title}
      secretName="signing secret"
      secret={secret}
      note={note}
      description="Copy the signing secret now. It is shown only this once; the platform keeps it encrypted and never shows it again."
      warning="Give it to your receiver. If it is lost, rotate it for a new one."
      label="Signing secret"
      usageHeading="Verify a delivery (Standard Webhooks)"
      usage={VERIFY_EXAMPLE}
      testId="new-webhook-secret"
      onClose={onClose}
    />
  );
}
