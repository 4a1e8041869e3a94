"use client";

import type { AppRouter } from "@dsc/trpc";
import type { ROLES } from "@dsc/trpc/schemas";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useDeferredValue, useEffect, useState } from "react";
import { formatDate } from "../../../components/format.ts";
import { OrganizationLink } from "../../../components/organization-link.tsx";
import { PersonName } from "../../../components/person-name.tsx";
import { QueryTable } from "../../../components/query-table.tsx";
import { ROLE_OPTIONS, RoleBadge } from "../../../components/role-badge.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { useCursorPages } from "../../../components/ui/cursor-pager.tsx";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuTrigger,
} from "../../../components/ui/dropdown-menu.tsx";
import { MoreIcon, UsersIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { SearchBox } from "../../../components/ui/search-box.tsx";
import { Select } from "../../../components/ui/select.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { ActionsTD, TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";
import { ChangeRoleDialog } from "./change-role-dialog.tsx";
import { CreatePersonDialog } from "./create-person-dialog.tsx";
import { DeactivateDialog } from "./deactivate-dialog.tsx";
import { type ResetLink, ResetLinkDialog } from "./reset-link-dialog.tsx";
import { SetPasswordDialog } from "./set-password-dialog.tsx";

export type Person = inferRouterOutputs<AppRouter>["users"]["list"]["items"][number];

/** A dialog that acts on one person and, once done, says what it did in a sentence for the page. */
export interface PersonActionDialogProps {
  person: Person;
  onClose: () => void;
  onDone: (message: string) => void;
}
type Status = "active" | "deactivated" | "all";

export function PeopleList({
  currentUserId,
  canInvite,
}: {
  currentUserId: string;
  /** an identity provider is configured: people may be added without a password */
  canInvite: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState<string>("all");
  const [status, setStatus] = useState<Status>("active");
  const deferredSearch = useDeferredValue(search.trim());
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [deferredSearch, role, status, reset]);
  const [editing, setEditing] = useState<Person | null>(null);
  const [settingPassword, setSettingPassword] = useState<Person | null>(null);
  const [deactivating, setDeactivating] = useState<Person | null>(null);
  const [resetLink, setResetLink] = useState<ResetLink | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const people = useQuery(
    trpc.users.list.queryOptions({
      search: deferredSearch || undefined,
      role: role === "all" ? undefined : (role as (typeof ROLES)[number]),
      status,
      limit: 25,
      after: pages.after,
    }),
  );
  const reactivate = useMutation(
    trpc.users.reactivate.mutationOptions({
      onSuccess: async (person) => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
        setNotice(`${person.name ?? person.email} is active again and can sign in, with the same role.`);
      },
      onError: (error) => setActionError(errorMessage(error)),
    }),
  );
  const makeResetLink = useMutation(
    trpc.users.passwordResetLink.mutationOptions({
      onSuccess: (made, { userId }) => {
        const person = people.data?.items.find((item) => item.id === userId);
        if (person) setResetLink({ person, ...made });
      },
      onError: (error) => setActionError(errorMessage(error)),
    }),
  );
  /** before an action: the last one's message goes */
  const startAction = () => {
    setActionError(null);
    setNotice(null);
  };
  const finishAction = (message: string) => {
    setSettingPassword(null);
    setDeactivating(null);
    setNotice(message);
  };

  return (
    <>
      <PageHeader
        title="People"
        description="Who may sign in to this dashboard, and as what. Roles and deactivation apply at the person's next click."
        actions={<CreatePersonDialog canInvite={canInvite} />}
      />
      <div className="mb-4 flex flex-wrap gap-3">
        <SearchBox
          id="people-search"
          label="Search people"
          placeholder="Search by e-mail or name"
          className="w-full max-w-xs"
          value={search}
          onChange={setSearch}
        />
        <div className="w-44">
          <Select
            aria-label="Role"
            value={role}
            onValueChange={setRole}
            options={[{ value: "all", label: "All roles" }, ...ROLE_OPTIONS]}
          />
        </div>
        <div className="w-40">
          <Select
            aria-label="Status"
            value={status}
            onValueChange={(value) => setStatus(value as Status)}
            options={[
              { value: "active", label: "Active" },
              { value: "deactivated", label: "Deactivated" },
              { value: "all", label: "Everyone" },
            ]}
          />
        </div>
      </div>
      {actionError ? (
        <p
          role="alert"
          className="mb-4 rounded-md border border-danger/40 bg-danger-soft px-3 py-2 text-sm text-danger"
        >
          {actionError}
        </p>
      ) : null}
      <p
        role="status"
        data-testid="people-notice"
        className="mb-4 rounded-md border border-success/40 bg-success-soft px-3 py-2 text-sm text-success empty:hidden"
      >
        {notice}
      </p>

      <QueryTable
        query={people}
        label="People"
        loadingLabel="Loading people"
        columns={["Person", "Role", "Organization", "Sign-in", "Status"]}
        hasActions
        empty={
          <EmptyState
            title="Nobody matches these filters"
            description="Change the filters, or add a person."
            icon={<UsersIcon className="size-6" />}
            action={<CreatePersonDialog canInvite={canInvite} />}
          />
        }
        row={(person) => {
          const isSelf = person.id === currentUserId;
          return (
            <TR key={person.id}>
              <TD>
                <PersonName name={person.name} email={person.email} isSelf={isSelf} />
              </TD>
              <TD>
                <RoleBadge role={person.role} />
              </TD>
              <TD>
                {person.organizationId ? (
                  <OrganizationLink id={person.organizationId} name={person.organizationName} />
                ) : (
                  <span className="text-text-muted">All organizations</span>
                )}
              </TD>
              <TD className="text-text-muted">
                {person.hasPassword
                  ? person.mustChangePassword
                    ? "Password set by an admin, to change"
                    : "Password"
                  : "Identity provider"}
              </TD>
              <TD>
                {person.isActive ? (
                  <Badge tone="success">Active</Badge>
                ) : (
                  <Badge tone="danger">Deactivated {formatDate(person.deactivatedAt)}</Badge>
                )}
              </TD>
              <ActionsTD>
                <DropdownMenu>
                  <DropdownMenuTrigger asChild disabled={isSelf}>
                    <Button variant="ghost" size="sm" aria-label={`Actions for ${person.email}`}>
                      <MoreIcon className="size-4" />
                    </Button>
                  </DropdownMenuTrigger>
                  <DropdownMenuContent>
                    <DropdownMenuItem onSelect={() => setEditing(person)}>Change role…</DropdownMenuItem>
                    <DropdownMenuItem
                      onSelect={() => {
                        startAction();
                        setSettingPassword(person);
                      }}
                    >
                      Set password…
                    </DropdownMenuItem>
                    {person.isActive ? (
                      <DropdownMenuItem
                        onSelect={() => {
                          startAction();
                          makeResetLink.mutate({ userId: person.id });
                        }}
                      >
                        Reset link
                      </DropdownMenuItem>
                    ) : null}
                    {person.isActive ? (
                      <DropdownMenuItem
                        tone="danger"
                        onSelect={() => {
                          startAction();
                          setDeactivating(person);
                        }}
                      >
                        Deactivate…
                      </DropdownMenuItem>
                    ) : (
                      <DropdownMenuItem
                        onSelect={() => {
                          startAction();
                          reactivate.mutate({ userId: person.id });
                        }}
                      >
                        Reactivate
                      </DropdownMenuItem>
                    )}
                  </DropdownMenuContent>
                </DropdownMenu>
              </ActionsTD>
            </TR>
          );
        }}
        pages={pages}
      />
      {editing ? <ChangeRoleDialog person={editing} onClose={() => setEditing(null)} /> : null}
      {settingPassword ? (
        <SetPasswordDialog
          person={settingPassword}
          onClose={() => setSettingPassword(null)}
          onDone={finishAction}
        />
      ) : null}
      {resetLink ? <ResetLinkDialog reset={resetLink} onClose={() => setResetLink(null)} /> : null}
      {deactivating ? (
        <DeactivateDialog person={deactivating} onClose={() => setDeactivating(null)} onDone={finishAction} />
      ) : null}
    </>
  );
}
