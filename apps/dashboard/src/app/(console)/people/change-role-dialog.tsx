"use client";

import { ROLES, type SetUserRoleInput, SetUserRoleInputSchema } from "@dsc/trpc/schemas";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Controller, useForm, useWatch } from "react-hook-form";
import { OrganizationPicker } from "../../../components/organization-picker.tsx";
import { ROLE_LABELS } from "../../../components/role-badge.tsx";
import { Dialog, DialogContent } from "../../../components/ui/dialog.tsx";
import { DialogForm } from "../../../components/ui/dialog-form.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { Select } from "../../../components/ui/select.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { useSaveOutcome } from "../../../trpc/use-save-outcome.ts";
import type { Person } from "./people-list.tsx";

const ROLE_HINTS: Record<string, string> = {
  ADMIN: "Everything: organizations, tiers, people, every organization's keys.",
  COMPLIANCE: "Sees every organization and its keys, read-only.",
  DEVELOPER: "One organization: its keys, OAuth clients and settings.",
};

export function ChangeRoleDialog({ person, onClose }: { person: Person; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const form = useForm<SetUserRoleInput>({
    resolver: zodResolver(SetUserRoleInputSchema),
    defaultValues: { userId: person.id, role: person.role, organizationId: person.organizationId ?? "" },
  });
  const role = useWatch({ control: form.control, name: "role" });
  const outcome = useSaveOutcome(form, ["role", "organizationId"]);
  const setRole = useMutation(
    trpc.users.setRole.mutationOptions(
      outcome.callbacks(async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        onClose();
      }),
    ),
  );
  const { errors } = form.formState;

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
          <Field label="Role" error={errors.role?.message} hint={ROLE_HINTS[role]}>
            {(control) => (
              <Controller
                control={form.control}
                name="role"
                render={({ field }) => (
                  <Select
                    {...control}
                    value={field.value}
                    onValueChange={field.onChange}
                    options={ROLES.map((name) => ({ value: name, label: ROLE_LABELS[name] ?? name }))}
                  />
                )}
              />
            )}
          </Field>
          {role === "DEVELOPER" ? (
            <Field label="Organization" error={errors.organizationId?.message}>
              {(control) => (
                <Controller
                  control={form.control}
                  name="organizationId"
                  render={({ field }) => (
                    <OrganizationPicker {...control} value={field.value} onValueChange={field.onChange} />
                  )}
                />
              )}
            </Field>
          ) : null}
        </DialogForm>
      </DialogContent>
    </Dialog>
  );
}
