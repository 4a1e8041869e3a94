"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "../../../components/ui/button.tsx";
import { Dialog, DialogClose, DialogContent, DialogFooter } from "../../../components/ui/dialog.tsx";
import { FormError } from "../../../components/ui/field.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";
import type { PersonActionDialogProps } from "./people-list.tsx";

/**
 * Deactivation, confirmed with what it does: the person's sessions end at their next click and
 * sign-in is refused. API keys and OAuth clients belong to organizations, not to the people who
 * made them, so theirs keep working.
 */
export function DeactivateDialog({ person, onClose, onDone }: PersonActionDialogProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const who = person.name ?? person.email;
  const deactivate = useMutation(
    trpc.users.deactivate.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        onDone(`${who} is deactivated. Their sessions have ended and they can no longer sign in.`);
      },
      onError: (e) => setError(errorMessage(e)),
    }),
  );
  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent title={`Deactivate ${who}?`}>
        <div className="flex flex-col gap-3 text-sm text-text">
          <FormError message={error} />
          <ul className="ml-5 list-disc space-y-1.5">
            <li>Every session of {who} ends at their next click, and signing in is refused.</li>
            <li>
              API keys and OAuth clients they created keep working: they belong to the organization. Revoke
              them under API keys or OAuth clients if they must stop too.
            </li>
            <li>
              Their records and the audit trail stay. You can reactivate them later, with the same role.
            </li>
          </ul>
        </div>
        <DialogFooter>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button
            variant="danger"
            isPending={deactivate.isPending}
            onClick={() => {
              setError(null);
              deactivate.mutate({ userId: person.id });
            }}
          >
            Deactivate {who}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
