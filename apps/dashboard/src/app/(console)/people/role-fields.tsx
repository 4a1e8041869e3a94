"use client";

import { type Control, useWatch } from "react-hook-form";
import { OrganizationPicker } from "../../../components/organization-picker.tsx";
import { ROLE_OPTIONS } from "../../../components/role-badge.tsx";
import { ControlledField } from "../../../components/ui/controlled-field.tsx";
import { Select } from "../../../components/ui/select.tsx";

const ROLE_HINTS: Record<string, string> = {
  ADMIN: "Everything: organizations, tiers, people, every organization's keys.",
  COMPLIANCE: "Sees every organization and its keys, read-only.",
  DEVELOPER: "One organization: its keys, OAuth clients and settings.",
};

/** The part of a person's form that says what they may do (the select offers only ROLES). */
interface RoleChoice {
  role: string;
  organizationId?: string;
}

/** A person's role, and for a developer the organization they belong to. */
export function RoleFields<Values extends RoleChoice>({
  control: formControl,
  withHints = false,
}: {
  control: Control<Values>;
  withHints?: boolean;
}) {
  // react-hook-form cannot see through a generic that every such form has these two fields
  const control = formControl as unknown as Control<RoleChoice>;
  const role = useWatch({ control, name: "role" });
  return (
    <>
      <ControlledField
        control={control}
        name="role"
        label="Role"
        hint={withHints ? ROLE_HINTS[role] : undefined}
      >
        {(props) => <Select {...props} options={ROLE_OPTIONS} />}
      </ControlledField>
      {role === "DEVELOPER" ? (
        <ControlledField control={control} name="organizationId" label="Organization">
          {(props) => <OrganizationPicker {...props} />}
        </ControlledField>
      ) : null}
    </>
  );
}
