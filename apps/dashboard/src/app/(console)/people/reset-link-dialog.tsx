"use client";

import { SecretReveal } from "../../../components/credentials/secret-reveal.tsx";
import { formatDateTime } from "../../../components/format.ts";
import type { Person } from "./people-list.tsx";

/** A one-time reset link for a person, made by an admin: what it is, shown this once. */
export interface ResetLink {
  person: Person;
  link: string;
  expiresAt: Date;
  /** it also went to the person by e-mail */
  mailed: boolean;
}

/**
 * Shows a reset link once: for someone who forgot their password where e-mail is not set up,
 * or who was added without one and has no single sign-on. They choose the password; the admin
 * never learns it.
 */
export function ResetLinkDialog({ reset, onClose }: { reset: ResetLink; onClose: () => void }) {
  const who = reset.person.name ?? reset.person.email;
  return (
    <SecretReveal
      title={`Reset link for ${who}`}
      secretName="reset link"
      secret={reset.link}
      label="Reset link"
      testId="reset-link"
      description={`Copy the link now. It is shown only this once; the platform keeps only a hash of it.`}
      warning={
        reset.mailed
          ? `It was also e-mailed to ${reset.person.email}. Anyone with the link can choose ${who}'s password until it is used.`
          : `E-mail is not set up here: give it to ${who} over a safe channel. Anyone with the link can choose their password until it is used.`
      }
      usageHeading="What they do with it"
      usage={`Open the link, choose a new password, then sign in.\nIt works once, until ${formatDateTime(reset.expiresAt)}; a newer link replaces it.\nSetting the password ends every session of ${who}.`}
      onClose={onClose}
    />
  );
}
