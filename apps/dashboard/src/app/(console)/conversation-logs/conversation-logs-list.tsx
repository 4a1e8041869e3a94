"use client";

import type { AppRouter } from "@dsc/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { DayRangeAndApply, FilterInput, useDraftFilters } from "../../../components/filter-fields.tsx";
import { formatDateTime, formatNumber } from "../../../components/format.ts";
import { OrganizationPicker } from "../../../components/organization-picker.tsx";
import { QueryTable } from "../../../components/query-table.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { useCursorPages } from "../../../components/ui/cursor-pager.tsx";
import { ShieldIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import {
  type ConversationLogFilterFields,
  conversationLogFilterOf,
  isFiltered,
  NO_FILTERS,
} from "./conversation-log-filters.ts";

type ChatLogRow = inferRouterOutputs<AppRouter>["conversationLogs"]["list"]["items"][number];

const PAGE_SIZE = 25;
const FILTER_MAX_LENGTH = 256;

type Filters = ConversationLogFilterFields;

/**
 * One organization's conversation logs, newest first: when, which model, key and end user, how
 * many tokens, when each expires. Nothing here is decrypted; a log opens on its own page.
 */
export function ConversationLogsList({
  initialOrganizationId,
  initialEndUserId,
}: {
  initialOrganizationId: string | undefined;
  initialEndUserId: string | undefined;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const [organizationId, setOrganizationId] = useState(initialOrganizationId);
  const { applied, field, apply } = useDraftFilters<Filters>({
    ...NO_FILTERS,
    endUserId: initialEndUserId ?? "",
  });
  const pages = useCursorPages();
  const { reset } = pages;

  useEffect(() => {
    reset();
    const params = new URLSearchParams();
    if (organizationId) params.set("organization", organizationId);
    if (applied.endUserId) params.set("endUser", applied.endUserId);
    const query = params.toString();
    router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
  }, [organizationId, applied, pathname, router, reset]);

  const list = useQuery({
    ...trpc.conversationLogs.list.queryOptions({
      organizationId: organizationId ?? "",
      ...conversationLogFilterOf(applied),
      limit: PAGE_SIZE,
      after: pages.after,
    }),
    enabled: organizationId !== undefined,
  });

  return (
    <>
      <PageHeader
        title="Conversation logs"
        description="What was sent through the API and answered, kept encrypted until it expires. This list shows metadata only; opening a log asks why, decrypts it on the server and records that you read it."
      />
      <form onSubmit={apply} className="mb-4 flex flex-wrap items-end gap-3" aria-label="Filters">
        <div className="w-64">
          <OrganizationPicker
            aria-label="Organization"
            value={organizationId}
            onValueChange={setOrganizationId}
          />
        </div>
        <FilterInput maxLength={FILTER_MAX_LENGTH} label="End-user id" {...field("endUserId")} />
        <FilterInput
          maxLength={FILTER_MAX_LENGTH}
          label="API key id"
          placeholder="key_…"
          {...field("apiKeyId")}
        />
        <FilterInput maxLength={FILTER_MAX_LENGTH} label="Model" {...field("modelId")} />
        <DayRangeAndApply maxLength={FILTER_MAX_LENGTH} from={field("fromDay")} to={field("toDay")} />
      </form>

      {organizationId === undefined ? (
        <EmptyState
          title="Choose an organization"
          description="Conversation logs are listed one organization at a time."
          icon={<ShieldIcon className="size-6" />}
        />
      ) : (
        <QueryTable
          query={list}
          label="Conversation logs"
          loadingLabel="Loading conversation logs"
          columns={["Created", "Model", "API key", "End user", "Tokens", "Expires", "Request"]}
          empty={
            <EmptyState
              title={
                isFiltered(applied) ? "No conversation log matches these filters" : "No conversation logs"
              }
              description="Logs are kept for organizations that have not opted out, until their retention ends."
              icon={<ShieldIcon className="size-6" />}
            />
          }
          row={(log) => <ChatLogTableRow key={log.id} log={log} />}
          pages={pages}
        />
      )}
    </>
  );
}

function ChatLogTableRow({ log }: { log: ChatLogRow }) {
  return (
    <TR>
      <TD className="whitespace-nowrap">
        <Link
          href={`/conversation-logs/${log.id}`}
          className="flex flex-col items-start gap-1 font-medium text-accent no-underline hover:underline"
          aria-label={`The log of ${formatDateTime(log.createdAt)}: open it`}
        >
          {formatDateTime(log.createdAt)}
          {log.isErased ? <Badge tone="danger">Erased</Badge> : null}
        </Link>
      </TD>
      <TD className="break-all">{log.modelId}</TD>
      <TD>
        {log.apiKeyId ? (
          <span className="flex flex-col" title={log.apiKeyId}>
            <span>{log.apiKeyName ?? "Deleted key"}</span>
            <span className="text-xs text-text-muted">{log.apiKeyId}</span>
          </span>
        ) : (
          <span className="text-text-muted">None</span>
        )}
      </TD>
      <TD className="break-all">{log.endUserId ?? <span className="text-text-muted">None</span>}</TD>
      <TD className="whitespace-nowrap text-text-muted">
        {formatNumber(log.promptTokens)} in, {formatNumber(log.completionTokens)} out
      </TD>
      <TD className="whitespace-nowrap text-text-muted">{formatDateTime(log.expiresAt)}</TD>
      <TD className="font-mono text-xs break-all text-text-muted">{log.requestId}</TD>
    </TR>
  );
}
