"use client";

import { type CompletePasswordResetInput, CompletePasswordResetInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { CardField, CardLinks, CardNotice, takeTokenFromFragment } from "../../components/card-form.tsx";
import { useTRPC } from "../../trpc/client.tsx";
import { applyServerError } from "../../trpc/errors.ts";

const FIELDS = ["password", "confirmPassword"] as const;

export function ResetPasswordForm() {
  const trpc = useTRPC();
  const [formError, setFormError] = useState<string | null>(null);
  // undefined until the browser has read the fragment
  const [token, setToken] = useState<string | null | undefined>(undefined);
  const form = useForm<CompletePasswordResetInput>({
    resolver: zodResolver(CompletePasswordResetInputSchema),
    defaultValues: { token: "", password: "", confirmPassword: "" },
  });
  useEffect(() => {
    const taken = takeTokenFromFragment();
    setToken(taken);
    if (taken) form.setValue("token", taken);
  }, [form.setValue]);
  const complete = useMutation(
    trpc.passwordReset.complete.mutationOptions({
      onError: (error) => setFormError(applyServerError(error, form.setError, FIELDS)),
    }),
  );
  const { errors } = form.formState;

  if (token === undefined) return null;
  if (token === null) {
    return (
      <>
        <p className="lead">Open this page with the link from the password-reset e-mail.</p>
        <CardLinks>
          <Link href="/forgot-password">Send a new link</Link>
        </CardLinks>
      </>
    );
  }
  if (complete.isSuccess) {
    return (
      <>
        <CardNotice tone="info">
          {`The password of ${complete.data.email} is changed, and every session of yours has ended.`}
        </CardNotice>
        <Link className="button button-block" href="/login">
          Sign in
        </Link>
      </>
    );
  }
  return (
    <div className="form-fields">
      {formError ? <CardNotice tone="error">{formError}</CardNotice> : null}
      <form
        className="form-fields"
        noValidate
        onSubmit={form.handleSubmit((values) => {
          setFormError(null);
          complete.mutate(values);
        })}
      >
        <CardField
          id="password"
          label="New password"
          hint="At least 12 characters, hard to guess: a few unrelated words work well."
          error={errors.password?.message}
          type="password"
          autoComplete="new-password"
          autoFocus
          {...form.register("password")}
        />
        <CardField
          id="confirmPassword"
          label="New password, again"
          error={errors.confirmPassword?.message}
          type="password"
          autoComplete="new-password"
          {...form.register("confirmPassword")}
        />
        <button className="button button-block" type="submit" disabled={complete.isPending}>
          {complete.isPending ? "Saving…" : "Set the new password"}
        </button>
      </form>
      <CardLinks>
        <Link href="/forgot-password">Send a new link</Link>
      </CardLinks>
    </div>
  );
}
