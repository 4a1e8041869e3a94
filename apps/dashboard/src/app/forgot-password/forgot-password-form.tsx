"use client";

import { type RequestPasswordResetInput, RequestPasswordResetInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { CardField, CardNotice } from "../../components/card-form.tsx";
import { useTRPC } from "../../trpc/client.tsx";
import { applyServerError } from "../../trpc/errors.ts";

export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<RequestPasswordResetInput>({
    resolver: zodResolver(RequestPasswordResetInputSchema),
    defaultValues: { email: "" },
  });
  const request = useMutation(
    trpc.passwordReset.request.mutationOptions({
      onError: (error) => setFormError(applyServerError(error, form.setError, ["email"])),
    }),
  );

  if (request.isSuccess) {
    // the same sentence whether or not the address has an account
    return (
      <CardNotice tone="info">
        {`If an account exists for that address, we sent a link (valid ${request.data.validForHours === 1 ? "1 hour" : `${request.data.validForHours} hours`}).`}
      </CardNotice>
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
          request.mutate(values);
        })}
      >
        <CardField
          id="email"
          label="Email"
          error={form.formState.errors.email?.message}
          type="email"
          autoComplete="username"
          inputMode="email"
          spellCheck={false}
          placeholder="you@example.com"
          {...form.register("email")}
        />
        <button className="button button-block" type="submit" disabled={request.isPending}>
          {request.isPending ? "Sending…" : "Send me a link"}
        </button>
      </form>
    </div>
  );
}
