import type { Database, Organization, Prisma, Tier } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import type { PiiKind } from "../masking/pii-masking.ts";
import { type TierView, toTierView } from "../tiers/tier-view.ts";
import type { Clock } from "../time/clock.ts";

/** One organization with its settings and the limits of its tier, for its own page. */
export interface OrganizationDetails {
  id: string;
  name: string;
  tier: TierView;
  dataCollectionOptOut: boolean;
  /** null = the tier's retention */
  chatLogRetentionDays: number | null;
  fileRetentionDays: number | null;
  /** what applies: the shorter of the tier's and the organization's */
  effectiveChatLogRetentionDays: number;
  effectiveFileRetentionDays: number;
  /** kinds of personal data masked before anything is stored or logged */
  piiMaskKinds: PiiKind[];
  /** the same kinds are masked in prompts before they reach the model */
  maskPiiUpstream: boolean;
  responseCacheEnabled: boolean;
  legalHold: boolean;
  memberCount: number;
  createdAt: Date;
}

export function toOrganizationDetails(
  org: Organization & {
    tier: Tier & { _count: { organizations: number } };
    _count: { memberships: number };
  },
): OrganizationDetails {
  const tier = toTierView(org.tier);
  return {
    id: org.id,
    name: org.name,
    tier,
    dataCollectionOptOut: org.dataCollectionOptOut,
    chatLogRetentionDays: org.chatLogRetentionDays,
    fileRetentionDays: org.fileRetentionDays,
    effectiveChatLogRetentionDays: Math.min(tier.chatLogRetentionDays, org.chatLogRetentionDays ?? Infinity),
    effectiveFileRetentionDays: Math.min(tier.fileRetentionDays, org.fileRetentionDays ?? Infinity),
    // the column is text[]; its values are only ever written through updateDataProtection
    piiMaskKinds: org.piiMaskKinds as PiiKind[],
    maskPiiUpstream: org.maskPiiUpstream,
    responseCacheEnabled: org.responseCacheEnabled,
    legalHold: org.legalHold,
    memberCount: org._count.memberships,
    createdAt: org.createdAt,
  };
}

export const ORGANIZATION_DETAILS_INCLUDE = {
  tier: { include: { _count: { select: { organizations: true } } } },
  _count: { select: { memberships: true } },
} as const;

/** The organization as its details need it, read inside the transaction that changes it. */
export async function findOrganizationToChange(
  tx: Database | Prisma.TransactionClient,
  organizationId: string,
) {
  const org = await tx.organization.findUnique({
    where: { id: organizationId },
    include: ORGANIZATION_DETAILS_INCLUDE,
  });
  if (!org) {
    throw new DomainError("not_found", `organization ${organizationId} does not exist`, "organizationId");
  }
  return org;
}

/**
 * The from/to of an audited change, naming only the fields whose value changed. Values are
 * compared as JSON so that arrays (the PII kinds) compare by content.
 */
export function auditedChange<T extends object>(
  before: T,
  after: T,
  fields: readonly (keyof T & string)[],
): { from: Prisma.InputJsonObject; to: Prisma.InputJsonObject } {
  const changed = fields.filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
  const values = (row: T) =>
    Object.fromEntries(changed.map((field) => [field, row[field] as Prisma.InputJsonValue | null]));
  return { from: values(before), to: values(after) };
}

/**
 * Writes `changes` to an organization read by findOrganizationToChange in the same
 * transaction, and audits them under `action` with the values that really changed (nothing
 * when no value changed).
 */
export async function applyOrganizationChange<C extends Prisma.OrganizationUpdateInput>(
  tx: Prisma.TransactionClient,
  clock: Clock,
  input: {
    before: Awaited<ReturnType<typeof findOrganizationToChange>>;
    changes: C;
    action: string;
    actor: Actor;
  },
): Promise<OrganizationDetails> {
  const { before, changes } = input;
  const updated = await tx.organization.update({
    where: { id: before.id },
    data: changes,
    include: ORGANIZATION_DETAILS_INCLUDE,
  });
  const metadata = auditedChange(
    before,
    updated,
    Object.keys(changes) as (keyof C & keyof typeof before & string)[],
  );
  // a save that changed nothing is not an event worth keeping forever in the audit trail
  if (Object.keys(metadata.to).length > 0) {
    await recordAuditEvent(tx, clock, {
      actor: input.actor,
      action: input.action,
      target: { type: "organization", id: before.id },
      organizationId: before.id,
      metadata,
    });
  }
  return toOrganizationDetails(updated);
}
