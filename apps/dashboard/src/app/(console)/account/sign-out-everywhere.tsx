"use client";

import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { Button } from "../../../components/ui/button.tsx";
import { FormError } from "../../../components/ui/field.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";

/** Ends every session of the person, on every device; this browser goes back to sign-in. */
export function SignOutEverywhere() {
  const trpc = useTRPC();
  const end = useMutation(
    trpc.account.signOutEverywhere.mutationOptions({
      // this session ended with the others: clear its cookie too, as the menu's sign-out does
      onSuccess: async () => {
        await signOut({ redirect: false });
        window.location.assign("/login");
      },
    }),
  );
  return (
    <div className="flex flex-col items-start gap-4">
      <FormError message={end.error ? errorMessage(end.error) : null} />
      <Button variant="danger" isPending={end.isPending} onClick={() => end.mutate()}>
        Sign out everywhere
      </Button>
    </div>
  );
}
