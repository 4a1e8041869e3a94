"use client";

import type { AppRouter } from "@dsc/trpc";
import type { FileSort } from "@dsc/trpc/schemas";
import { type AccessRole, isMemberRole } from "@dsc/trpc/schemas";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { usePathname, useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useState } from "react";
import { formatBytes, formatDateTime, formatRelative } from "../../../components/format.ts";
import { OrganizationPicker } from "../../../components/organization-picker.tsx";
import { QueryTable } from "../../../components/query-table.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { CopyButton } from "../../../components/ui/copy-button.tsx";
import { useCursorPages } from "../../../components/ui/cursor-pager.tsx";
import { Field } from "../../../components/ui/field.tsx";
import { InboxIcon, LayersIcon } from "../../../components/ui/icons.tsx";
import { Input } from "../../../components/ui/input.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { SearchBox } from "../../../components/ui/search-box.tsx";
import { Select } from "../../../components/ui/select.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { ActionsTD, type ColumnSort, TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { FileActions } from "./file-actions.tsx";
import { FILE_PURPOSES, fromLocalInput } from "./file-purposes.ts";
import { StorageSummary } from "./storage-summary.tsx";

type FileRow = inferRouterOutputs<AppRouter>["files"]["list"]["items"][number];
type Role = AccessRole;

const PAGE_SIZE = 25;

interface Sorting {
  sort: FileSort;
  direction: "asc" | "desc";
}

/** A column's sort: the first click on a new column sorts the way people read it first. */
function columnSort(current: Sorting, column: FileSort, setSorting: (sorting: Sorting) => void): ColumnSort {
  const isCurrent = current.sort === column;
  const firstDirection = column === "name" || column === "expiry" ? "asc" : "desc";
  return {
    direction: isCurrent ? (current.direction === "asc" ? "ascending" : "descending") : null,
    onSort: () =>
      setSorting({
        sort: column,
        direction: isCurrent ? (current.direction === "asc" ? "desc" : "asc") : firstDirection,
      }),
  };
}

/**
 * One organization's files: storage against the quota, what the next purge removes, and the
 * list with filters, sortable columns and server pages. Compliance officers may delete but not
 * move an expiry; developers work on their own organization only.
 */
export function FilesView({
  role,
  initialOrganizationId,
}: {
  role: Role;
  initialOrganizationId: string | undefined;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [organizationId, setOrganizationId] = useState(initialOrganizationId);
  const [purpose, setPurpose] = useState<string | undefined>();
  const [endUser, setEndUser] = useState("");
  const [name, setName] = useState("");
  const [expiringBefore, setExpiringBefore] = useState("");
  const [isNextPurgeOnly, setNextPurgeOnly] = useState(false);
  const [sorting, setSorting] = useState<Sorting>({ sort: "created", direction: "desc" });
  const deferredName = useDeferredValue(name.trim());
  const deferredEndUser = useDeferredValue(endUser);
  const expiresBefore = fromLocalInput(expiringBefore);
  const pages = useCursorPages();
  const { reset } = pages;
  const isDeveloper = isMemberRole(role);

  useEffect(() => {
    reset();
  }, [
    organizationId,
    purpose,
    deferredEndUser,
    deferredName,
    expiringBefore,
    isNextPurgeOnly,
    sorting,
    reset,
  ]);
  useEffect(() => {
    if (isDeveloper) return;
    router.replace(organizationId ? `${pathname}?organization=${organizationId}` : pathname, {
      scroll: false,
    });
  }, [organizationId, isDeveloper, pathname, router]);

  const summary = useQuery(
    trpc.files.summary.queryOptions(
      { organizationId: organizationId ?? "" },
      { enabled: Boolean(organizationId) },
    ),
  );
  const list = useQuery(
    trpc.files.list.queryOptions(
      {
        organizationId: organizationId ?? "",
        purpose,
        endUserId: deferredEndUser || undefined,
        nameContains: deferredName || undefined,
        expiresBefore,
        nextPurgeOnly: isNextPurgeOnly || undefined,
        sort: sorting.sort,
        direction: sorting.direction,
        limit: PAGE_SIZE,
        after: pages.after,
      },
      { enabled: Boolean(organizationId) },
    ),
  );
  const isFiltered = Boolean(purpose || deferredEndUser || deferredName || expiresBefore || isNextPurgeOnly);

  return (
    <>
      <PageHeader
        title="Files"
        description="Files uploaded through the API, with their retention. Each file expires at the time set at its upload, at the latest the organization's file retention after it; the worker then removes it."
      />
      {isDeveloper ? null : (
        <div className="mb-5 w-72">
          <OrganizationPicker
            aria-label="Organization"
            value={organizationId}
            onValueChange={setOrganizationId}
          />
        </div>
      )}
      {!organizationId ? (
        <EmptyState
          title={isDeveloper ? "Your account belongs to no organization" : "Choose an organization"}
          description={
            isDeveloper
              ? "Ask an admin to add you to your organization to see its files."
              : "Files are kept per organization: choose one to see its files and storage."
          }
          icon={<LayersIcon className="size-6" />}
        />
      ) : (
        <>
          <StorageSummary
            query={summary}
            isShowingNextPurge={isNextPurgeOnly}
            onShowNextPurge={setNextPurgeOnly}
          />
          <div className="mb-4 flex flex-wrap items-end gap-3">
            <SearchBox
              id="file-name-search"
              label="File name contains"
              placeholder="Search by file name"
              className="w-64"
              value={name}
              onChange={setName}
            />
            <div className="w-44">
              <Select
                aria-label="Purpose"
                value={purpose ?? "any"}
                onValueChange={(value) => setPurpose(value === "any" ? undefined : value)}
                options={[
                  { value: "any", label: "Any purpose" },
                  ...FILE_PURPOSES.map((value) => ({ value, label: value })),
                ]}
              />
            </div>
            <div className="w-52">
              <label htmlFor="file-end-user" className="sr-only">
                End user
              </label>
              <Input
                id="file-end-user"
                placeholder="End user id"
                maxLength={256}
                value={endUser}
                onChange={(event) => setEndUser(event.target.value)}
              />
            </div>
            <Field label="Expiring before" className="w-56">
              {(control) => (
                <Input
                  {...control}
                  type="datetime-local"
                  value={expiringBefore}
                  onChange={(event) => setExpiringBefore(event.target.value)}
                />
              )}
            </Field>
            {isNextPurgeOnly ? <Badge tone="warning">Only what the next purge removes</Badge> : null}
          </div>
          <QueryTable
            query={list}
            label="Files"
            loadingLabel="Loading files"
            columns={[
              { header: "Name", sort: columnSort(sorting, "name", setSorting) },
              "Purpose",
              { header: "Size", sort: columnSort(sorting, "size", setSorting) },
              "SHA-256",
              "End user",
              { header: "Created", sort: columnSort(sorting, "created", setSorting) },
              { header: "Expires", sort: columnSort(sorting, "expiry", setSorting) },
              "Status",
            ]}
            hasActions
            empty={
              <EmptyState
                title={isFiltered ? "No file matches these filters" : "No files yet"}
                description={
                  isFiltered
                    ? "Change or clear the filters to see more files."
                    : "Files uploaded with POST /v1/files appear here until they expire or are deleted."
                }
                icon={<InboxIcon className="size-6" />}
              />
            }
            row={(file) => (
              <FileTableRow
                key={file.id}
                file={file}
                retentionDays={summary.data?.effectiveFileRetentionDays}
                canChangeExpiry={role !== "COMPLIANCE"}
              />
            )}
            pages={pages}
          />
        </>
      )}
    </>
  );
}

function FileTableRow({
  file,
  retentionDays,
  canChangeExpiry,
}: {
  file: FileRow;
  retentionDays: number | undefined;
  canChangeExpiry: boolean;
}) {
  return (
    <TR>
      <TD className="max-w-64">
        <div className="flex flex-col">
          <span className="truncate font-medium" title={file.filename}>
            {file.filename}
          </span>
          <code className="truncate text-xs text-text-muted" title={file.id}>
            {file.id}
          </code>
        </div>
      </TD>
      <TD className="whitespace-nowrap">{file.purpose}</TD>
      <TD className="whitespace-nowrap tabular-nums">{formatBytes(file.bytes)}</TD>
      <TD>
        <span className="flex items-center gap-1.5">
          <code className="text-xs" title={file.sha256}>
            {file.sha256.slice(0, 12)}…
          </code>
          <CopyButton value={file.sha256} label="Copy" />
        </span>
      </TD>
      <TD className="max-w-40">
        {file.endUserId ? (
          <span className="block truncate" title={file.endUserId}>
            {file.endUserId}
          </span>
        ) : (
          <span className="text-text-muted">None</span>
        )}
      </TD>
      <TD className="whitespace-nowrap text-text-muted">{formatDateTime(file.createdAt)}</TD>
      <TD className="whitespace-nowrap">
        {file.expiresAt ? (
          <span className="flex flex-col">
            {formatDateTime(file.expiresAt)}
            <span className="text-xs text-text-muted">{formatRelative(file.expiresAt)}</span>
          </span>
        ) : (
          <span className="text-text-muted">Never</span>
        )}
      </TD>
      <TD>
        <Badge tone={file.status === "PROCESSED" ? "success" : "neutral"}>{file.status.toLowerCase()}</Badge>
      </TD>
      <ActionsTD>
        <FileActions file={file} retentionDays={retentionDays} canChangeExpiry={canChangeExpiry} />
      </ActionsTD>
    </TR>
  );
}
