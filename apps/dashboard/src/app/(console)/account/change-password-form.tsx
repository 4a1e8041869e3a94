"use client";

import { type ChangePasswordInput, ChangePasswordInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { NewPasswordFields } from "../../../components/new-password-fields.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { Field, FormError } from "../../../components/ui/field.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { applyServerError } from "../../../trpc/errors.ts";

const FIELDS = ["currentPassword", "newPassword", "confirmPassword"] as const;

export function ChangePasswordForm({
  email,
  isRequired = false,
}: {
  email: string;
  /** an admin set the password: the rest of the dashboard opens once this one is changed */
  isRequired?: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const form = useForm<ChangePasswordInput>({
    resolver: zodResolver(ChangePasswordInputSchema),
    defaultValues: { currentPassword: "", newPassword: "", confirmPassword: "" },
  });
  const change = useMutation(
    trpc.account.changePassword.mutationOptions({
      onSuccess: async (_, values) => {
        // the change ended every session, this one too: sign in again with the new password
        const result = await signIn("credentials", { email, password: values.newPassword, redirect: false });
        if (!result?.ok) {
          window.location.assign("/login");
          return;
        }
        form.reset();
        setDone(true);
        // the banner goes, and every page works again
        if (isRequired) router.refresh();
      },
      onError: (error) => setFormError(applyServerError(error, form.setError, FIELDS)),
    }),
  );
  const { errors } = form.formState;

  return (
    <form
      noValidate
      className="flex flex-col gap-4"
      onSubmit={form.handleSubmit((values) => {
        setFormError(null);
        setDone(false);
        change.mutate(values);
      })}
    >
      <FormError message={formError} />
      <Field label="Current password" error={errors.currentPassword?.message}>
        {(control) => (
          <Input
            {...control}
            type="password"
            autoComplete="current-password"
            {...form.register("currentPassword")}
          />
        )}
      </Field>
      <NewPasswordFields
        password={form.register("newPassword")}
        confirmPassword={form.register("confirmPassword")}
        passwordError={errors.newPassword?.message}
        confirmPasswordError={errors.confirmPassword?.message}
      />
      <div className="flex items-center justify-between gap-3">
        <p aria-live="polite" className="text-sm text-success">
          {done ? "Password changed. Other sessions have been signed out." : ""}
        </p>
        <Button type="submit" isPending={change.isPending}>
          Change password
        </Button>
      </div>
    </form>
  );
}
