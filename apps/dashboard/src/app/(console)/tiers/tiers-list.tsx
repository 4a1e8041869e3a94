"use client";

import type { AppRouter } from "@dsc/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { formatBytes, formatNumber } from "../../../components/format.ts";
import { Badge } from "../../../components/ui/badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { LayersIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { EmptyState, ErrorState, LoadingRows } from "../../../components/ui/states.tsx";
import { ActionsTH, Table, TBody, TD, TH, THead, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { errorMessage } from "../../../trpc/errors.ts";
import { TierDialog } from "./tier-dialog.tsx";

export type Tier = inferRouterOutputs<AppRouter>["tiers"]["list"][number];

export function TiersList({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const tiers = useQuery(trpc.tiers.list.queryOptions());
  const [editing, setEditing] = useState<Tier | "new" | null>(null);

  return (
    <>
      <PageHeader
        title="Tiers and quotas"
        description="Each organization is on one tier. The gateway reads the tier on every request, so a change here applies to the next API call — no restart."
        actions={canManage ? <Button onClick={() => setEditing("new")}>New tier</Button> : null}
      />
      {tiers.isPending ? (
        <LoadingRows columns={8} rows={3} label="Loading tiers" />
      ) : tiers.isError ? (
        <ErrorState message={errorMessage(tiers.error)} onRetry={() => tiers.refetch()} />
      ) : tiers.data.length === 0 ? (
        <EmptyState
          title="No tiers"
          description="Tiers are seeded at first start; create one to begin."
          icon={<LayersIcon className="size-6" />}
        />
      ) : (
        <Table label="Tiers">
          <THead>
            <TR>
              <TH>Tier</TH>
              <TH className="text-right">Requests / min</TH>
              <TH className="text-right">Tokens / min</TH>
              <TH className="text-right">Tokens / month</TH>
              <TH className="text-right">Largest file</TH>
              <TH className="text-right">File storage</TH>
              <TH className="text-right">Retention</TH>
              <TH className="text-right">Orgs</TH>
              {canManage ? <ActionsTH /> : null}
            </TR>
          </THead>
          <TBody>
            {tiers.data.map((tier) => (
              <TR key={tier.id}>
                <TD>
                  <div className="flex flex-col">
                    <span className="flex items-center gap-2 font-medium whitespace-nowrap">
                      {tier.name}
                      {tier.isCustom ? <Badge tone="accent">Custom</Badge> : null}
                    </span>
                    <code className="w-fit bg-transparent p-0 text-xs text-text-muted">{tier.slug}</code>
                  </div>
                </TD>
                <TD className="text-right tabular-nums">{formatNumber(tier.requestsPerMinute)}</TD>
                <TD className="text-right tabular-nums">{formatNumber(tier.tokensPerMinute)}</TD>
                <TD className="text-right tabular-nums">{formatNumber(tier.monthlyTokenQuota)}</TD>
                <TD className="text-right tabular-nums">{formatBytes(tier.maxFileBytes)}</TD>
                <TD className="text-right tabular-nums">
                  {tier.maxStorageBytes === null ? "Unlimited" : formatBytes(tier.maxStorageBytes)}
                </TD>
                <TD className="text-right whitespace-nowrap tabular-nums">
                  <span title="chat logs · files">
                    {tier.chatLogRetentionDays} d · {tier.fileRetentionDays} d
                  </span>
                </TD>
                <TD className="text-right tabular-nums">{tier.organizationCount}</TD>
                {canManage ? (
                  <TD className="text-right">
                    <Button
                      variant="secondary"
                      size="sm"
                      onClick={() => setEditing(tier)}
                      aria-label={`Edit ${tier.name}`}
                    >
                      Edit
                    </Button>
                  </TD>
                ) : null}
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      {editing ? (
        <TierDialog tier={editing === "new" ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}
