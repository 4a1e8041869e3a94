"use client";

import { useQuery } from "@tanstack/react-query";
import { RoleBadge } from "../../../../components/role-badge.tsx";
import { Badge } from "../../../../components/ui/badge.tsx";
import { UsersIcon } from "../../../../components/ui/icons.tsx";
import { Section } from "../../../../components/ui/page-header.tsx";
import { EmptyState, ErrorState, LoadingRows } from "../../../../components/ui/states.tsx";
import { Table, TBody, TD, TH, THead, TR } from "../../../../components/ui/table.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { errorMessage } from "../../../../trpc/errors.ts";
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
      {members.isPending ? (
        <LoadingRows columns={3} rows={2} label="Loading members" />
      ) : members.isError ? (
        <ErrorState message={errorMessage(members.error)} onRetry={() => members.refetch()} />
      ) : members.data.length === 0 ? (
        <EmptyState
          title="No members yet"
          description="Add developers so they can sign in and manage this organization's keys."
          icon={<UsersIcon className="size-6" />}
          action={addMember}
        />
      ) : (
        <Table label="Members">
          <THead>
            <TR>
              <TH>Person</TH>
              <TH>Role</TH>
              <TH>Sign-in</TH>
              <TH>Status</TH>
            </TR>
          </THead>
          <TBody>
            {members.data.map((member) => (
              <TR key={member.id}>
                <TD>
                  <div className="flex flex-col">
                    <span className="font-medium">{member.name ?? member.email}</span>
                    {member.name ? <span className="text-xs text-text-muted">{member.email}</span> : null}
                  </div>
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
            ))}
          </TBody>
        </Table>
      )}
    </Section>
  );
}
