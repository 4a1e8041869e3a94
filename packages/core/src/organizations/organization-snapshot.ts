import type { Database } from "@dsc/db";
import { ALL_PII_KINDS, type PiiKind } from "../masking/pii-masking.ts";
import type { DeployedModel, ServedModel } from "./served-model.ts";

/**
 * Everything the request path needs to know about an organization, read in one go and kept by
 * each gateway (OrganizationSnapshotCache) until a change notification drops it.
 */
export interface OrganizationSnapshot {
  id: string;
  tierId: string;
  tier: {
    requestsPerMinute: number;
    tokensPerMinute: number | null;
    monthlyTokenQuota: number | null;
    chatLogRetentionDays: number;
  };
  /** own limits of the organization's keys that have any (a key's limits only tighten the tier's) */
  keyLimits: ReadonlyMap<string, { requestsPerMinute: number | null; tokensPerMinute: number | null }>;
  responseCacheEnabled: boolean;
  dataCollectionOptOut: boolean;
  maskPiiUpstream: boolean;
  piiMaskKinds: readonly PiiKind[];
  chatLogRetentionDays: number | null;
  /**
   * enabled models the tier may call, and enabled aliases of them, by id, with their
   * deployments; shut-down ones included (checked at use time)
   */
  models: readonly ServedModel[];
}

// the order in which a model's deployments are grouped (model-routes.ts); disabled ones are
// read too, so that a model whose deployments are all disabled is not taken for one without any
const DEPLOYMENTS = {
  orderBy: [{ priority: "asc" as const }, { createdAt: "asc" as const }, { id: "asc" as const }],
};

/** Reads an organization's snapshot; null when it does not exist. */
export async function loadOrganizationSnapshot(
  db: Database,
  organizationId: string,
): Promise<OrganizationSnapshot | null> {
  const org = await db.organization.findUnique({
    where: { id: organizationId },
    include: {
      tier: {
        include: {
          models: {
            where: { isEnabled: true },
            orderBy: { id: "asc" },
            include: {
              deployments: DEPLOYMENTS,
              aliasOf: { include: { deployments: DEPLOYMENTS } },
              aliases: { where: { isEnabled: true }, orderBy: { id: "asc" } },
            },
          },
        },
      },
      apiKeys: {
        where: { OR: [{ requestsPerMinute: { not: null } }, { tokensPerMinute: { not: null } }] },
        select: { id: true, requestsPerMinute: true, tokensPerMinute: true },
      },
    },
  });
  if (!org) return null;
  return {
    id: org.id,
    tierId: org.tierId,
    tier: {
      requestsPerMinute: org.tier.requestsPerMinute,
      tokensPerMinute: org.tier.tokensPerMinute,
      monthlyTokenQuota: org.tier.monthlyTokenQuota === null ? null : Number(org.tier.monthlyTokenQuota),
      chatLogRetentionDays: org.tier.chatLogRetentionDays,
    },
    keyLimits: new Map(
      org.apiKeys.map((key) => [
        key.id,
        { requestsPerMinute: key.requestsPerMinute, tokensPerMinute: key.tokensPerMinute },
      ]),
    ),
    responseCacheEnabled: org.responseCacheEnabled,
    dataCollectionOptOut: org.dataCollectionOptOut,
    maskPiiUpstream: org.maskPiiUpstream,
    piiMaskKinds: org.piiMaskKinds.filter((kind): kind is PiiKind =>
      (ALL_PII_KINDS as string[]).includes(kind),
    ),
    chatLogRetentionDays: org.chatLogRetentionDays,
    models: servedModelsOf(org.tier.models),
  };
}

/**
 * The tier's models and the aliases of them (an alias the tier names itself is kept once).
 * An alias of an alias serves nothing: aliases name a concrete model.
 */
function servedModelsOf(
  tierModels: readonly (ServedModel & { aliases: readonly Omit<ServedModel, "deployments" | "aliasOf">[] })[],
): ServedModel[] {
  const served = new Map<string, ServedModel>();
  for (const { aliases: _aliases, ...model } of tierModels) served.set(model.id, model);
  for (const target of tierModels) {
    if (target.aliasOfId !== null) continue;
    const { aliases, ...concrete } = target;
    const aliasOf: DeployedModel = concrete;
    for (const alias of aliases) {
      if (!served.has(alias.id)) served.set(alias.id, { ...alias, deployments: [], aliasOf });
    }
  }
  return [...served.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
