"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { formatDate, formatDateTime, formatNumber } from "../../../../components/format.ts";
import { Badge } from "../../../../components/ui/badge.tsx";
import { Button } from "../../../../components/ui/button.tsx";
import { ArrowLeftIcon, LayersIcon } from "../../../../components/ui/icons.tsx";
import { PageHeader, Section } from "../../../../components/ui/page-header.tsx";
import { EmptyState } from "../../../../components/ui/states.tsx";
import { Table, TBody, TD, TH, THead, TR } from "../../../../components/ui/table.tsx";
import { useTRPC } from "../../../../trpc/client.tsx";
import { ModelDialog } from "../model-dialog.tsx";
import { formatPrice, ModelStatusBadge } from "../model-status.tsx";
import { type Model, modelHref } from "../models-list.tsx";
import { DeploymentDialog, RemoveDeploymentButton } from "./deployment-dialog.tsx";
import { DeploymentHealthCell, useDeploymentHealth } from "./deployment-health.tsx";
import { ModelLifecycleActions, ModelLinksButton, ModelTiersButton } from "./model-actions.tsx";

export type Deployment = Model["deployments"][number];

export function ModelDetailsView({ initial }: { initial: Model }) {
  const trpc = useTRPC();
  const { data: model } = useQuery(
    trpc.models.get.queryOptions({ modelId: initial.id }, { initialData: initial }),
  );
  const health = useDeploymentHealth();
  const [isEditing, setIsEditing] = useState(false);
  const [deployment, setDeployment] = useState<Deployment | "new" | null>(null);

  const facts: [string, React.ReactNode][] = [
    ["Status", <ModelStatusBadge key="status" model={model} />],
    ["Input price", `${formatPrice(model.inputPricePerMTokens)} per million tokens`],
    ["Output price", `${formatPrice(model.outputPricePerMTokens)} per million tokens`],
    ["Context window", `${formatNumber(model.contextWindow)} tokens`],
    ["Owner", model.ownedBy],
    ["Routing", model.routingStrategy === "WEIGHTED" ? "By weight" : "Least busy"],
    ["Tiers", model.tiers.length > 0 ? model.tiers.join(", ") : "None: no organization can call it"],
    ["Alias of", model.aliasOf ? <ModelLink key="alias" id={model.aliasOf} /> : "—"],
    ["Aliases", model.aliases.length > 0 ? model.aliases.join(", ") : "—"],
    ["Fallback", model.fallbackModelId ? <ModelLink key="fallback" id={model.fallbackModelId} /> : "—"],
  ];
  if (model.shutdownAt) {
    facts.push(["Shutdown", formatDateTime(model.shutdownAt)]);
    facts.push([
      "Replacement",
      model.replacementModelId ? <ModelLink key="r" id={model.replacementModelId} /> : "—",
    ]);
  }

  return (
    <>
      <PageHeader
        eyebrow={
          <Link
            href="/models"
            className="inline-flex items-center gap-1 text-text-muted no-underline hover:text-text"
          >
            <ArrowLeftIcon className="size-4" /> Models
          </Link>
        }
        title={model.id}
        description={<>Added {formatDate(model.createdAt)}</>}
        actions={<ModelLifecycleActions model={model} />}
      />
      <Section
        title="Model"
        actions={
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" size="sm" onClick={() => setIsEditing(true)}>
              Edit prices
            </Button>
            <ModelTiersButton model={model} />
            <ModelLinksButton model={model} />
          </div>
        }
      >
        <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2">
          {facts.map(([label, value]) => (
            <div key={label} className="flex flex-col">
              <dt className="text-xs text-text-muted">{label}</dt>
              <dd className="text-sm text-text">{value}</dd>
            </div>
          ))}
        </dl>
      </Section>
      <Section
        title="Deployments"
        description={
          model.aliasOf
            ? `An alias is served by the deployments of ${model.aliasOf}.`
            : "Requests go to the enabled deployments of the lowest priority that has one available, by weight or least busy, and fail over before the first byte. Health is this moment's, from the gateway."
        }
        actions={
          model.aliasOf ? null : (
            <Button size="sm" onClick={() => setDeployment("new")}>
              Add deployment
            </Button>
          )
        }
      >
        {model.deployments.length === 0 ? (
          <EmptyState
            title="No deployments"
            description="Without one, the model is served by the gateway's default upstream (UPSTREAM_BASE_URL), or the built-in model when none is set."
            icon={<LayersIcon className="size-6" />}
          />
        ) : (
          <Table label="Deployments">
            <THead>
              <TR>
                <TH>Base URL</TH>
                <TH>Upstream model</TH>
                <TH>Key</TH>
                <TH className="text-right">Weight</TH>
                <TH className="text-right">Priority</TH>
                <TH>Limits</TH>
                <TH>State</TH>
                <TH>Health</TH>
                <TH>
                  <span className="sr-only">Actions</span>
                </TH>
              </TR>
            </THead>
            <TBody>
              {model.deployments.map((d) => (
                <TR key={d.id}>
                  <TD>
                    <span className="block break-all font-mono text-xs">
                      {d.upstreamBaseUrl ?? "Default upstream"}
                    </span>
                    <code className="text-xs text-text-muted">{d.id}</code>
                  </TD>
                  <TD>{d.upstreamModel ?? <span className="text-text-muted">{model.id}</span>}</TD>
                  <TD>
                    {d.apiKeyRef ? (
                      <code className="text-xs whitespace-nowrap">{d.apiKeyRef}</code>
                    ) : (
                      <span className="text-text-muted">By address</span>
                    )}
                  </TD>
                  <TD className="text-right tabular-nums">{d.weight}</TD>
                  <TD className="text-right tabular-nums">{d.priority}</TD>
                  <TD className="whitespace-nowrap text-xs">
                    {d.requestsPerMinute === null && d.tokensPerMinute === null
                      ? "—"
                      : `${formatNumber(d.requestsPerMinute, "∞")} rpm · ${formatNumber(d.tokensPerMinute, "∞")} tpm`}
                  </TD>
                  <TD>{d.isEnabled ? <Badge tone="success">Enabled</Badge> : <Badge>Disabled</Badge>}</TD>
                  <TD>
                    <DeploymentHealthCell deploymentId={d.id} health={health} />
                  </TD>
                  <TD className="text-right">
                    <div className="flex justify-end gap-2">
                      <Button
                        variant="secondary"
                        size="sm"
                        onClick={() => setDeployment(d)}
                        aria-label={`Edit deployment ${d.id}`}
                      >
                        Edit
                      </Button>
                      <RemoveDeploymentButton modelId={model.id} deployment={d} />
                    </div>
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Section>
      {isEditing ? <ModelDialog model={model} onClose={() => setIsEditing(false)} /> : null}
      {deployment ? (
        <DeploymentDialog
          modelId={model.id}
          deployment={deployment === "new" ? null : deployment}
          onClose={() => setDeployment(null)}
        />
      ) : null}
    </>
  );
}

function ModelLink({ id }: { id: string }) {
  return <Link href={modelHref(id)}>{id}</Link>;
}
