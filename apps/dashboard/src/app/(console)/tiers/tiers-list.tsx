"use client";

import type { AppRouter } from "@dsc/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import { useState } from "react";
import { formatBytes, formatNumber } from "../../../components/format.ts";
import { QueryTable } from "../../../components/query-table.tsx";
import { Badge } from "../../../components/ui/badge.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { LayersIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { TierDialog } from "./tier-dialog.tsx";

export type Tier = inferRouterOutputs<AppRouter>["tiers"]["list"][number];

/** right-aligned, like the numbers under them */
const NUMBER_COLUMNS = [
  "Requests / min",
  "Tokens / min",
  "Tokens / month",
  "Largest file",
  "File storage",
  "Retention",
  "Orgs",
];

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
      <QueryTable
        query={tiers}
        label="Tiers"
        loadingLabel="Loading tiers"
        loadingRows={3}
        columns={["Tier", ...NUMBER_COLUMNS.map((header) => ({ header, className: "text-right" }))]}
        hasActions={canManage}
        empty={
          <EmptyState
            title="No tiers"
            description="Tiers are seeded at first start; create one to begin."
            icon={<LayersIcon className="size-6" />}
          />
        }
        row={(tier) => (
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
        )}
      />
      {editing ? (
        <TierDialog tier={editing === "new" ? null : editing} onClose={() => setEditing(null)} />
      ) : null}
    </>
  );
}
