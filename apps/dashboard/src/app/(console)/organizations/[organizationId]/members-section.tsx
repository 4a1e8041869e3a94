"use client";

import { type AccessRole, isMemberRole } from "@dsc/trpc/schemas";
import { useQuery } from "@tanstack/react-query";
import { PersonName } from "../../../../components/person-name.tsx";
import { QueryTable } from "../../../../components/query-table.tsx";
import { RoleBadge } from "../../../../components/role-badge.tsx";
import { Badge } from "../../../../components/ui/badge.tsx";
import { UsersIcon } from "../../../../components/ui/icons.tsx";
import { Section } from "../../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../../components/ui/states.tsx";
import { ActionsTD, TD, TR } from "../../../../components/ui/table.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { CreatePersonDialog } from "../../people/create-person-dialog.tsx";
import { InviteMemberDialog } from "./invite-member-dialog.tsx";
import { LeaveOrganizationButton, MemberActions } from "./member-actions.tsx";
import { PendingInvitations } from "./pending-invitations.tsx";

/**
 * The organization's people with their role here. Owners and admins invite, change roles,
 * remove and (owners) hand ownership over; every member may leave.
 */
export function MembersSection({
  organizationId,
  organizationName,
  role,
}: {
  organizationId: string;
  organizationName: string;
  /** the viewer's role: a platform role, or theirs in this organization */
  role: AccessRole;
}) {
  const trpc = useTRPC();
  const members = useQuery(trpc.organizations.members.queryOptions({ organizationId }));
  const me = useQuery(trpc.account.me.queryOptions());
  const managesMembers = role === "ADMIN" || role === "OWNER";
  const seesInvitations = managesMembers || role === "COMPLIANCE";
  const actions = (
    <div className="flex flex-wrap gap-2">
      {isMemberRole(role) ? (
        <LeaveOrganizationButton organizationId={organizationId} organizationName={organizationName} />
      ) : null}
      {managesMembers ? (
        <InviteMemberDialog organizationId={organizationId} organizationName={organizationName} />
      ) : null}
      {role === "ADMIN" ? (
        <CreatePersonDialog
          preset={{ role: "DEVELOPER", organizationId, organizationName }}
          triggerLabel="Add member"
          triggerVariant="secondary"
        />
      ) : null}
    </div>
  );

  return (
    <Section
      title="Members"
      description="The people of this organization and their role here. Owners manage members; developers manage keys, clients, files and webhooks; viewers read."
      actions={actions}
    >
      <QueryTable
        query={members}
        label="Members"
        loadingLabel="Loading members"
        loadingRows={2}
        columns={["Person", "Role", "Sign-in", "Status"]}
        hasActions={managesMembers}
        empty={
          <EmptyState
            title="No members yet"
            description="Invite people so they can sign in and manage this organization's keys."
            icon={<UsersIcon className="size-6" />}
          />
        }
        row={(member) => (
          <TR key={member.id}>
            <TD>
              <PersonName name={member.name} email={member.email} isSelf={member.id === me.data?.id} />
            </TD>
            <TD>
              <RoleBadge role={member.memberRole} />
            </TD>
            <TD className="text-text-muted">{member.hasPassword ? "Password" : "Identity provider"}</TD>
            <TD>
              {member.isActive ? (
                <Badge tone="success">Active</Badge>
              ) : (
                <Badge tone="danger">Deactivated</Badge>
              )}
            </TD>
            {managesMembers ? (
              <ActionsTD>
                <MemberActions
                  member={{
                    organizationId,
                    userId: member.id,
                    label: member.name ?? member.email,
                    role: member.memberRole,
                  }}
                  // an owner hands their own ownership over; admins set roles instead
                  canTransfer={role === "OWNER" && member.id !== me.data?.id}
                />
              </ActionsTD>
            ) : null}
          </TR>
        )}
      />
      {seesInvitations ? (
        <PendingInvitations organizationId={organizationId} canRevoke={managesMembers} />
      ) : null}
    </Section>
  );
}
