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
import { TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";
import { ChangeRoleDialog } from "./change-role-dialog.tsx";
import { CreatePersonDialog } from "./create-person-dialog.tsx";

export type Person = inferRouterOutputs<AppRouter>["users"]["list"]["items"][number];
type Status = "active" | "deactivated" | "all";

export function PeopleList({ currentUserId }: { currentUserId: string }) {
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
  const [actionError, setActionError] = useState<string | null>(null);

  const people = useQuery(
    trpc.users.list.queryOptions({
      search: deferredSearch || undefined,
      role: role === "all" ? undefined : (role as (typeof ROLES)[number]),
      status,
      limit: 25,
      after: pages.after,
    }),
  );
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.users.pathKey() });
  const onActionError = (error: unknown) => setActionError(errorMessage(error));
  const deactivate = useMutation(
    trpc.users.deactivate.mutationOptions({ onSuccess: invalidate, onError: onActionError }),
  );
  const reactivate = useMutation(
    trpc.users.reactivate.mutationOptions({ onSuccess: invalidate, onError: onActionError }),
  );

  return (
    <>
      <PageHeader
        title="People"
        description="Who may sign in to this dashboard, and as what. Roles and deactivation apply at the person's next click."
        actions={<CreatePersonDialog />}
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
            action={<CreatePersonDialog />}
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
              <TD className="text-text-muted">{person.hasPassword ? "Password" : "Identity provider"}</TD>
              <TD>
                {person.isActive ? (
                  <Badge tone="success">Active</Badge>
                ) : (
                  <Badge tone="danger">Deactivated {formatDate(person.deactivatedAt)}</Badge>
                )}
              </TD>
              <TD className="text-right">
                <DropdownMenu>
                  <DropdownMenuTrigger asChild disabled={isSelf}>
                    <Button variant="ghost" size="sm" aria-label={`Actions for ${person.email}`}>
                      <MoreIcon className="size-4" />
                    </Button>
                  </DropdownMenuTrigger>
                  <DropdownMenuContent>
                    <DropdownMenuItem onSelect={() => setEditing(person)}>Change role…</DropdownMenuItem>
                    {person.isActive ? (
                      <DropdownMenuItem
                        tone="danger"
                        onSelect={() => {
                          setActionError(null);
                          deactivate.mutate({ userId: person.id });
                        }}
                      >
                        Deactivate
                      </DropdownMenuItem>
                    ) : (
                      <DropdownMenuItem
                        onSelect={() => {
                          setActionError(null);
                          reactivate.mutate({ userId: person.id });
                        }}
                      >
                        Reactivate
                      </DropdownMenuItem>
                    )}
                  </DropdownMenuContent>
                </DropdownMenu>
              </TD>
            </TR>
          );
        }}
        pages={pages}
      />
      {editing ? <ChangeRoleDialog person={editing} onClose={() => setEditing(null)} /> : null}
    </>
  );
}
