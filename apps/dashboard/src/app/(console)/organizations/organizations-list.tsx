"use client";

import type { OrganizationSort } from "@dsc/trpc/schemas";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useDeferredValue, useEffect, useState } from "react";
import { formatDate } from "../../../components/format.ts";
import { QueryTable } from "../../../components/query-table.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { useCursorPages } from "../../../components/ui/cursor-pager.tsx";
import { BuildingIcon, SearchIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { SearchBox } from "../../../components/ui/search-box.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { type ColumnSort, TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { CreateOrganizationDialog } from "./create-organization-dialog.tsx";

const PAGE_SIZE = 20;

/** A column's sort, as its header shows it: the first click sorts the way people expect first. */
function columnSort(
  sort: OrganizationSort,
  setSort: (sort: OrganizationSort) => void,
  [first, second]: [OrganizationSort, OrganizationSort],
  [firstDirection, secondDirection]: ["ascending" | "descending", "ascending" | "descending"],
): ColumnSort {
  return {
    direction: sort === first ? firstDirection : sort === second ? secondDirection : null,
    onSort: () => setSort(sort === first ? second : first),
  };
}

export function OrganizationsList({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<OrganizationSort>("name_asc");
  const deferredSearch = useDeferredValue(search.trim());
  const pages = useCursorPages();
  const { reset } = pages;
  useEffect(() => reset(), [deferredSearch, sort, reset]);

  const query = useQuery(
    trpc.organizations.list.queryOptions({
      search: deferredSearch || undefined,
      sort,
      limit: PAGE_SIZE,
      after: pages.after,
    }),
  );

  return (
    <>
      <PageHeader
        title="Organizations"
        description="API customers. Each has a tier that sets its limits, its own keys and OAuth clients, and its data settings."
        actions={canManage ? <CreateOrganizationDialog /> : null}
      />
      <SearchBox
        id="organization-search"
        label="Search organizations"
        placeholder="Search by name or id"
        className="mb-4 max-w-sm"
        value={search}
        onChange={setSearch}
      />

      <QueryTable
        query={query}
        label="Organizations"
        loadingLabel="Loading organizations"
        columns={[
          {
            header: "Name",
            sort: columnSort(sort, setSort, ["name_asc", "name_desc"], ["ascending", "descending"]),
          },
          "Id",
          "Tier",
          "Data collection",
          {
            header: "Created",
            // newest first on the first click: what was just added is what people look for
            sort: columnSort(sort, setSort, ["newest", "oldest"], ["descending", "ascending"]),
          },
        ]}
        empty={
          deferredSearch ? (
            <EmptyState
              title={`No organization matches “${deferredSearch}”`}
              description="Search looks at names and at exact organization ids."
              icon={<SearchIcon className="size-6" />}
            />
          ) : (
            <EmptyState
              title="No organizations yet"
              description="An organization is an API customer: create one, then give it API keys."
              icon={<BuildingIcon className="size-6" />}
              action={canManage ? <CreateOrganizationDialog /> : null}
            />
          )
        }
        row={(org) => (
          <TR key={org.id}>
            <TD>
              <Link
                href={`/organizations/${org.id}`}
                className="font-medium text-accent no-underline hover:underline"
              >
                {org.name}
              </Link>
            </TD>
            <TD>
              <code className="text-xs">{org.id}</code>
            </TD>
            <TD>
              <Badge tone="accent">{org.tier}</Badge>
            </TD>
            <TD>
              {org.dataCollectionOptOut ? <Badge tone="warning">Opted out</Badge> : <Badge>Collected</Badge>}
            </TD>
            <TD className="text-text-muted">{formatDate(org.createdAt)}</TD>
          </TR>
        )}
        pages={pages}
      />
    </>
  );
}
