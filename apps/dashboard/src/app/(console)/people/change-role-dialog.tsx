"use client";

import { type SetUserRoleInput, SetUserRoleInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../trpc/use-save-outcome.ts";
import type { Person } from "./people-list.tsx";
import { RoleFields } from "./role-fields.tsx";

export function ChangeRoleDialog({ person, onClose }: { person: Person; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<SetUserRoleInput>({
    resolver: zodResolver(SetUserRoleInputSchema),
    defaultValues: { userId: person.id, role: person.role, organizationId: person.organizationId ?? "" },
  });
  const outcome = useSaveOutcome(form, ["role", "organizationId"]);
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions(
      outcome.callbacks(async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        onClose();
      }),
    ),
  );

  return (
    <Dialog open onOpenChange={(open) => (open ? null : onClose())}>
      <DialogContent
        title={`Change the role of ${person.name ?? person.email}`}
        description="It applies at their next click."
      >
        <DialogForm
          onSubmit={outcome.submit((values) => setRole.mutate(values))}
          formError={outcome.formError}
          submitLabel="Save role"
          isPending={setRole.isPending}
        >
          <RoleFields control={form.control} withHints />
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}
