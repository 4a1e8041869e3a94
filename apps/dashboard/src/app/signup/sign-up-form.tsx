"use client";

import { SignUpFormSchema, type SignUpForm as SignUpValues } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { CardField, CardNotice } from "../../components/card-form.tsx";
import { useTRPC } from "../../trpc/client.tsx";
import { applyServerError } from "../../trpc/errors.ts";

const FIELDS = ["email", "name", "password", "confirmPassword"] as const;

export function SignUpForm() {
  const trpc = useTRPC();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<SignUpValues>({
    resolver: zodResolver(SignUpFormSchema),
    defaultValues: { email: "", name: "", password: "", confirmPassword: "" },
  });
  const create = useMutation(
    trpc.signup.create.mutationOptions({
      // the account exists: sign in with what was just typed, then on to the first key
      onSuccess: (_, values) =>
        signIn("credentials", {
          email: values.email,
          password: values.password,
          callbackUrl: "/getting-started",
        }),
      onError: (error) => setFormError(applyServerError(error, form.setError, FIELDS)),
    }),
  );
  const { errors, isSubmitting } = form.formState;
  const pending = isSubmitting || create.isPending || create.isSuccess;

  return (
    <div className="form-fields">
      {formError ? <CardNotice tone="error">{formError}</CardNotice> : null}
      <form
        className="form-fields"
        noValidate
        onSubmit={form.handleSubmit(({ email, name, password }) => {
          setFormError(null);
          create.mutate({ email, name: name?.trim() || undefined, password });
        })}
      >
        <CardField
          id="email"
          label="Email"
          error={errors.email?.message}
          type="email"
          autoComplete="email"
          inputMode="email"
          spellCheck={false}
          placeholder="you@example.com"
          {...form.register("email")}
        />
        <CardField
          id="name"
          label="Your name (optional)"
          error={errors.name?.message}
          autoComplete="name"
          maxLength={100}
          {...form.register("name")}
        />
        <CardField
          id="password"
          label="Password"
          hint="At least 12 characters, hard to guess: a few unrelated words work well."
          error={errors.password?.message}
          type="password"
          autoComplete="new-password"
          {...form.register("password")}
        />
        <CardField
          id="confirmPassword"
          label="Password, again"
          error={errors.confirmPassword?.message}
          type="password"
          autoComplete="new-password"
          {...form.register("confirmPassword")}
        />
        <button className="button button-block" type="submit" disabled={pending}>
          {pending ? "Creating your account…" : "Create account"}
        </button>
      </form>
    </div>
  );
}
