"use client";

import { MEMBER_ROLE_LABELS, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "@dsc/trpc/schemas";
import { useMutation } from "@tanstack/react-query";
import { signIn, signOut } from "next-auth/react";
import { type FormEvent, useEffect, useState } from "react";
import { CardField, CardNotice, takeTokenFromFragment } from "../../components/card-form.tsx";
import { formatDateTime } from "../../components/format.ts";
import { useTRPC } from "../../trpc/client.tsx";
import { errorMessage } from "../../trpc/errors.ts";

/** Kept for the way through the sign-in page and back; this tab only, gone once accepted. */
const TOKEN_KEY = "invitation-token";
const SIGN_IN_TO_ACCEPT = "/login?callbackUrl=%2Finvite";

/**
 * The token from the link's fragment, stored for the round trip through the sign-in page and
 * taken out of the address bar (it should not stay in the history, nor be copied along).
 */
function readToken(): string | null {
  const fromLink = takeTokenFromFragment();
  if (fromLink) window.sessionStorage.setItem(TOKEN_KEY, fromLink);
  return fromLink ?? window.sessionStorage.getItem(TOKEN_KEY);
}

export function InviteView({ signedInEmail }: { signedInEmail: string | null }) {
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => setToken(readToken()), []);

  if (token === undefined) return <Heading>Invitation</Heading>;
  if (token === null) {
    return (
      <>
        <Heading>Invitation</Heading>
        <p className="lead">Open this page with the link from your invitation.</p>
      </>
    );
  }
  return <InvitationPreview token={token} signedInEmail={signedInEmail} />;
}

function Heading({ children }: { children: string }) {
  return <h1 id="invite-heading">{children}</h1>;
}

function InvitationPreview({ token, signedInEmail }: { token: string; signedInEmail: string | null }) {
  const trpc = useTRPC();
  // a mutation, so that the link's secret travels in a POST body: a query's input would be in
  // the URL, and so in every proxy's and server's access log
  const preview = useMutation(trpc.invitations.preview.mutationOptions());
  const { mutate: read } = preview;
  useEffect(() => read({ token }), [read, token]);
  // a link that no longer works (expired, used, revoked) is not kept for later
  useEffect(() => {
    if (preview.isError) window.sessionStorage.removeItem(TOKEN_KEY);
  }, [preview.isError]);
  if (preview.isIdle || preview.isPending) {
    return (
      <>
        <Heading>Invitation</Heading>
        <p className="lead">Reading the invitation…</p>
      </>
    );
  }
  if (preview.isError) {
    return (
      <>
        <Heading>Invitation</Heading>
        <CardNotice tone="error">{errorMessage(preview.error)}</CardNotice>
      </>
    );
  }
  const invitation = preview.data;
  return (
    <>
      <Heading>{`Join ${invitation.organizationName}`}</Heading>
      <p className="lead">
        {invitation.inviterName} invited <strong>{invitation.email}</strong> to {invitation.organizationName}{" "}
        as {MEMBER_ROLE_LABELS[invitation.role]}. The invitation expires{" "}
        {formatDateTime(invitation.expiresAt)}.
      </p>
      {signedInEmail !== null ? (
        signedInEmail === invitation.email ? (
          <AcceptSignedIn token={token} />
        ) : (
          <WrongPerson signedInEmail={signedInEmail} invitedEmail={invitation.email} />
        )
      ) : invitation.accountExists ? (
        <div className="form-fields">
          <p>You already have an account. Sign in as {invitation.email} to accept.</p>
          <button
            type="button"
            className="button button-block"
            onClick={() => window.location.assign(SIGN_IN_TO_ACCEPT)}
          >
            Sign in to accept
          </button>
        </div>
      ) : (
        <CreateAccountAndAccept token={token} email={invitation.email} />
      )}
    </>
  );
}

/** Into the dashboard with a whole page load: the session now has the new organization. */
function enterDashboard() {
  window.sessionStorage.removeItem(TOKEN_KEY);
  window.location.assign("/overview");
}

function AcceptSignedIn({ token }: { token: string }) {
  const trpc = useTRPC();
  const accept = useMutation(trpc.invitations.accept.mutationOptions({ onSuccess: enterDashboard }));
  return (
    <div className="form-fields">
      {accept.isError ? <CardNotice tone="error">{errorMessage(accept.error)}</CardNotice> : null}
      <button
        type="button"
        className="button button-block"
        disabled={accept.isPending}
        onClick={() => accept.mutate({ token })}
      >
        {accept.isPending ? "Joining…" : "Accept the invitation"}
      </button>
    </div>
  );
}

function WrongPerson({ signedInEmail, invitedEmail }: { signedInEmail: string; invitedEmail: string }) {
  return (
    <div className="form-fields">
      <p>
        You are signed in as {signedInEmail}, but this invitation is for {invitedEmail}. Sign out, then sign
        in as that person to accept it.
      </p>
      <button
        type="button"
        className="button button-secondary button-block"
        onClick={async () => {
          await signOut({ redirect: false });
          window.location.assign(SIGN_IN_TO_ACCEPT);
        }}
      >
        Sign out and sign in as {invitedEmail}
      </button>
    </div>
  );
}

function CreateAccountAndAccept({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [fieldErrors, setFieldErrors] = useState<{ password?: string; confirm?: string }>({});
  const [formError, setFormError] = useState<string | null>(null);
  const accept = useMutation(
    trpc.invitations.accept.mutationOptions({
      onSuccess: async () => {
        const result = await signIn("credentials", { email, password, redirect: false });
        if (!result || result.error) {
          // the account exists and belongs to the organization: only signing in is left
          window.sessionStorage.removeItem(TOKEN_KEY);
          window.location.assign("/login?callbackUrl=%2Foverview");
          return;
        }
        enterDashboard();
      },
      onError: (error) => setFormError(errorMessage(error)),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setFormError(null);
    const errors: { password?: string; confirm?: string } = {};
    if (password.length < PASSWORD_MIN_LENGTH)
      errors.password = `Use at least ${PASSWORD_MIN_LENGTH} characters.`;
    else if (password.length > PASSWORD_MAX_LENGTH)
      errors.password = `Use at most ${PASSWORD_MAX_LENGTH} characters.`;
    if (confirm !== password) errors.confirm = "The two passwords differ.";
    setFieldErrors(errors);
    if (errors.password || errors.confirm) return;
    accept.mutate({ token, newAccount: { name: name.trim() || undefined, password } });
  };
  return (
    <div className="form-fields">
      {formError ? <CardNotice tone="error">{formError}</CardNotice> : null}
      <form className="form-fields" noValidate onSubmit={submit}>
        <p>Create your account for {email} to accept.</p>
        <CardField
          id="name"
          label="Your name (optional)"
          error={undefined}
          autoComplete="name"
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <CardField
          id="password"
          label="Password"
          error={fieldErrors.password}
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <CardField
          id="confirm-password"
          label="Password, again"
          error={fieldErrors.confirm}
          type="password"
          autoComplete="new-password"
          value={confirm}
          onChange={(event) => setConfirm(event.target.value)}
        />
        <button className="button button-block" type="submit" disabled={accept.isPending}>
          {accept.isPending ? "Creating your account…" : "Create account and join"}
        </button>
      </form>
    </div>
  );
}
