"use client";

import { type SignInInput, SignInInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { signIn } from "next-auth/react";
import { type InputHTMLAttributes, useState } from "react";
import { useForm } from "react-hook-form";
import { safeCallbackPath } from "../../callback-url.ts";
import { CardField } from "../../components/card-form.tsx";

/** What a NextAuth error code means to the person signing in. */
const MESSAGES: Record<string, string> = {
  CredentialsSignin: "That e-mail address and password do not match an account.",
  RateLimited: "Too many failed sign-ins from here. Wait a few minutes, then try again.",
  Deactivated: "This account has been deactivated. Ask an admin to restore it.",
  NotInvited: "That account has not been added to the dashboard. Ask an admin to add you.",
  UnverifiedAccount:
    "That address has an account whose address was never verified, so single sign-on cannot open it. Sign in with its password, or reset the password: the link goes to that address.",
  UnverifiedEmail: "Your identity provider did not confirm your e-mail address.",
  SessionRequired: "Sign in to continue.",
  Unavailable: "Signing in is not possible right now. Try again in a moment.",
};
const FALLBACK = "Sign-in did not work. Try again.";

/** The sentence for an error code; a refused attempt says how long to wait ("RateLimited:42"). */
function messageOf(code: string): string {
  const wait = /^RateLimited:(\d{1,6})$/.exec(code);
  if (wait) {
    const seconds = Number(wait[1]);
    const after = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
    return `Too many failed sign-ins from here. Try again in ${after}.`;
  }
  return MESSAGES[code] ?? FALLBACK;
}

export function SignInForm({
  providers,
  initialError,
  callbackUrl,
}: {
  providers: { id: string; name: string }[];
  initialError: string | null;
  /** a path of this site to go to after signing in */
  callbackUrl: string;
}) {
  const [formError, setFormError] = useState<string | null>(initialError ? messageOf(initialError) : null);
  const {
    register,
    handleSubmit,
    formState: { errors, isSubmitting },
  } = useForm<SignInInput>({
    resolver: zodResolver(SignInInputSchema),
    defaultValues: { email: "", password: "" },
  });

  // a field's id is its name; its error's id follows from it
  const field = (name: keyof SignInInput, label: string, input: InputHTMLAttributes<HTMLInputElement>) => (
    <CardField id={name} label={label} error={errors[name]?.message} {...input} {...register(name)} />
  );

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await signIn("credentials", { ...values, redirect: false });
    if (!result || result.error) {
      setFormError(messageOf(result?.error ?? ""));
      return;
    }
    // checked again here: this component must not trust whoever rendered it. A whole page load,
    // not a client navigation: the first page may redirect on the server (to Account, when an
    // admin set the password), and the client router rendered such a redirect as a blank page
    window.location.assign(safeCallbackPath(callbackUrl, window.location.origin));
  });

  return (
    <div className="form-fields">
      {formError ? (
        <div className="notice notice-error" role="alert" id="sign-in-error">
          <svg className="notice-icon" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
            <circle cx="10" cy="10" r="8.25" fill="none" stroke="currentColor" strokeWidth="1.5" />
            <path d="M10 5.8v5M10 13.8v.1" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
          </svg>
          <p>{formError}</p>
        </div>
      ) : null}

      <form
        className="form-fields"
        noValidate
        onSubmit={onSubmit}
        aria-describedby={formError ? "sign-in-error" : undefined}
      >
        {field("email", "Email", {
          type: "email",
          autoComplete: "username",
          inputMode: "email",
          spellCheck: false,
          placeholder: "you@example.com",
        })}
        {field("password", "Password", { type: "password", autoComplete: "current-password" })}
        <button className="button button-block" type="submit" disabled={isSubmitting}>
          {isSubmitting ? "Signing in…" : "Sign in"}
        </button>
      </form>

      {providers.length > 0 ? (
        <>
          <p className="divider">
            <span>or</span>
          </p>
          {providers.map((provider) => (
            <button
              key={provider.id}
              type="button"
              className="button button-secondary button-block"
              onClick={() => signIn(provider.id, { callbackUrl })}
            >
              Continue with {provider.name}
            </button>
          ))}
        </>
      ) : null}
    </div>
  );
}
