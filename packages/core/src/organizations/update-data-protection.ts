import type { Database } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { DomainError } from "../errors/domain-error.ts";
import { ALL_PII_KINDS, type PiiKind } from "../masking/pii-masking.ts";
import type { Clock } from "../time/clock.ts";
import {
  applyOrganizationChange,
  findOrganizationToChange,
  type OrganizationDetails,
} from "./organization-details.ts";

export interface DataProtectionSettings {
  /** kinds of personal data masked before anything is stored or logged; [] masks none */
  piiMaskKinds?: readonly string[];
  /** mask the same kinds in prompts before they go to the model */
  maskPiiUpstream?: boolean;
  responseCacheEnabled?: boolean;
}

/**
 * Changes how an organization's traffic is protected: which personal data is masked, whether
 * prompts are masked before they reach the model, and whether answers are cached. Gateways
 * hear of the change from the database's triggers and apply it from the next request.
 */
export async function updateDataProtection(
  deps: { db: Database; clock: Clock },
  input: DataProtectionSettings & { organizationId: string; actor: Actor },
): Promise<OrganizationDetails> {
  const piiMaskKinds = input.piiMaskKinds === undefined ? undefined : toPiiKinds(input.piiMaskKinds);
  return deps.db.$transaction(async (tx) => {
    const before = await findOrganizationToChange(tx, input.organizationId);
    const changes = {
      ...(piiMaskKinds !== undefined ? { piiMaskKinds } : {}),
      ...(input.maskPiiUpstream !== undefined ? { maskPiiUpstream: input.maskPiiUpstream } : {}),
      ...(input.responseCacheEnabled !== undefined
        ? { responseCacheEnabled: input.responseCacheEnabled }
        : {}),
    };
    return applyOrganizationChange(tx, deps.clock, {
      before,
      changes,
      action: "organization.data_protection.update",
      actor: input.actor,
    });
  });
}

/** Known kinds only, each once, in the canonical order, so equal choices store (and audit) equally. */
function toPiiKinds(kinds: readonly string[]): PiiKind[] {
  const unknown = kinds.filter((kind) => !(ALL_PII_KINDS as readonly string[]).includes(kind));
  if (unknown.length > 0) {
    throw new DomainError(
      "invalid",
      `unknown kind of personal data "${unknown[0]}"; known: ${ALL_PII_KINDS.join(", ")}`,
      "piiMaskKinds",
    );
  }
  return ALL_PII_KINDS.filter((kind) => kinds.includes(kind));
}
