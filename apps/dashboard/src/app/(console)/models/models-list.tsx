"use client";

import type { AppRouter } from "@dsc/trpc";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useState } from "react";
import { formatNumber } from "../../../components/format.ts";
import { QueryTable } from "../../../components/query-table.tsx";
import { Button } from "../../../components/ui/button.tsx";
import { LayersIcon } from "../../../components/ui/icons.tsx";
import { PageHeader } from "../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../components/ui/states.tsx";
import { TD, TR } from "../../../components/ui/table.tsx";
import { useTRPC } from "../../../trpc/client.tsx";
import { ModelDialog } from "./model-dialog.tsx";
import { formatPrice, ModelStatusBadge } from "./model-status.tsx";

export type Model = inferRouterOutputs<AppRouter>["models"]["list"][number];

export const modelHref = (id: string) => `/models/${encodeURIComponent(id)}`;

const RIGHT = "text-right";

/** The catalogue: every model, what it costs, who may call it, and where its requests go. */
export function ModelsList() {
  const trpc = useTRPC();
  const models = useQuery(trpc.models.list.queryOptions());
  const [isCreating, setIsCreating] = useState(false);

  return (
    <>
      <PageHeader
        title="Models"
        description="The models clients call, their prices, the tiers that may use them and the upstreams that serve them. Every change reaches every gateway within a second — no restart."
        actions={<Button onClick={() => setIsCreating(true)}>New model</Button>}
      />
      <QueryTable
        query={models}
        label="Models"
        loadingLabel="Loading models"
        loadingRows={3}
        columns={[
          "Model",
          "Status",
          { header: "Input $/M", className: RIGHT },
          { header: "Output $/M", className: RIGHT },
          { header: "Context", className: RIGHT },
          "Tiers",
          "Alias of",
          "Fallback",
          { header: "Deployments", className: RIGHT },
        ]}
        empty={
          <EmptyState
            title="No models"
            description="Clients can call no model yet. Add one, give it a deployment and the tiers that may use it."
            icon={<LayersIcon className="size-6" />}
            action={<Button onClick={() => setIsCreating(true)}>New model</Button>}
          />
        }
        row={(model) => (
          <TR key={model.id}>
            <TD>
              <Link href={modelHref(model.id)} className="font-medium">
                {model.id}
              </Link>
              {model.aliases.length > 0 ? (
                <span className="block text-xs text-text-muted">also {model.aliases.join(", ")}</span>
              ) : null}
            </TD>
            <TD>
              <ModelStatusBadge model={model} />
            </TD>
            <TD className={`${RIGHT} tabular-nums`}>{formatPrice(model.inputPricePerMTokens)}</TD>
            <TD className={`${RIGHT} tabular-nums`}>{formatPrice(model.outputPricePerMTokens)}</TD>
            <TD className={`${RIGHT} tabular-nums`}>{formatNumber(model.contextWindow)}</TD>
            <TD>
              {model.tiers.length > 0 ? (
                model.tiers.join(", ")
              ) : (
                <span className="text-text-muted">None</span>
              )}
            </TD>
            <TD>{model.aliasOf ? <Link href={modelHref(model.aliasOf)}>{model.aliasOf}</Link> : "—"}</TD>
            <TD>
              {model.fallbackModelId ? (
                <Link href={modelHref(model.fallbackModelId)}>{model.fallbackModelId}</Link>
              ) : (
                "—"
              )}
            </TD>
            <TD className={`${RIGHT} tabular-nums`}>{model.deployments.length}</TD>
          </TR>
        )}
      />
      {isCreating ? <ModelDialog model={null} onClose={() => setIsCreating(false)} /> : null}
    </>
  );
}
