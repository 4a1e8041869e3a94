"use client";

import { type SetUserPasswordInput, SetUserPasswordInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { NewPasswordFields } from "../../../components/new-password-fields.tsx";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../trpc/use-save-outcome.ts";
import type { PersonActionDialogProps } from "./people-list.tsx";

/**
 * Sets a person's password for them (forgotten, or invited when no single sign-on could sign
 * them in): their sessions end, and they choose their own at their next sign-in.
 */
export function SetPasswordDialog({ person, onClose, onDone }: PersonActionDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const who = person.name ?? person.email;
  const form = useForm<SetUserPasswordInput>({
    resolver: zodResolver(SetUserPasswordInputSchema),
    defaultValues: { userId: person.id, password: "", confirmPassword: "" },
  });
  const outcome = useSaveOutcome(form, ["password", "confirmPassword"]);
  const setPassword = useMutation(
    trpc.users.setPassword.mutationOptions(
      outcome.callbacks(async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        onDone(
          `Password set for ${who}. Their sessions have ended; when they next sign in, they must choose their own password.`,
        );
      }),
    ),
  );
  const { errors } = form.formState;

  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        title={`Set a password for ${who}`}
        description={`Every session of ${who} ends now. They sign in with this password, then must choose their own before they can do anything else. Give it to them over a safe channel.`}
      >
        <DialogForm
          onSubmit={outcome.submit((values) => setPassword.mutate(values))}
          formError={outcome.formError}
          submitLabel="Set password"
          isPending={setPassword.isPending}
        >
          <NewPasswordFields
            password={form.register("password")}
            confirmPassword={form.register("confirmPassword")}
            passwordError={errors.password?.message}
            confirmPasswordError={errors.confirmPassword?.message}
            autoFocus
          />
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}
