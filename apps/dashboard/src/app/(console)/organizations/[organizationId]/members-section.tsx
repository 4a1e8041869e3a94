"use client";

import { useQuery } from "@tanstack/react-query";
import { PersonName } from "../../../../components/person-name.tsx";
import { QueryTable } from "../../../../components/query-table.tsx";
import { RoleBadge } from "../../../../components/role-badge.tsx";
import { Badge } from "../../../../components/ui/badge.tsx";
import { UsersIcon } from "../../../../components/ui/icons.tsx";
import { Section } from "../../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../../components/ui/states.tsx";
import { TD, TR } from "../../../../components/ui/table.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { CreatePersonDialog } from "../../people/create-person-dialog.tsx";

export function MembersSection({
  organizationId,
  organizationName,
  canManage,
}: {
  organizationId: string;
  organizationName: string;
  canManage: boolean;
}) {
  const trpc = useTRPC();
  const members = useQuery(trpc.organizations.members.queryOptions({ organizationId }));
  const addMember = canManage ? (
    <CreatePersonDialog
      preset={{ role: "DEVELOPER", organizationId, organizationName }}
      triggerLabel="Add member"
      triggerVariant="secondary"
    />
  ) : null;

  return (
    <Section
      title="Members"
      description="Developers of this organization. They see this organization only: its keys, clients and settings."
      actions={members.data && members.data.length > 0 ? addMember : null}
    >
      <QueryTable
        query={members}
        label="Members"
        loadingLabel="Loading members"
        loadingRows={2}
        columns={["Person", "Role", "Sign-in", "Status"]}
        empty={
          <EmptyState
            title="No members yet"
            description="Add developers so they can sign in and manage this organization's keys."
            icon={<UsersIcon className="size-6" />}
            action={addMember}
          />
        }
        row={(member) => (
          <TR key={member.id}>
            <TD>
              <PersonName name={member.name} email={member.email} />
            </TD>
            <TD>
              <RoleBadge role={member.role} />
            </TD>
            <TD className="text-text-muted">{member.hasPassword ? "Password" : "Identity provider"}</TD>
            <TD>
              {member.isActive ? (
                <Badge tone="success">Active</Badge>
              ) : (
                <Badge tone="danger">Deactivated</Badge>
              )}
            </TD>
          </TR>
        )}
      />
    </Section>
  );
}
