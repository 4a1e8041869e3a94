import { type Database, DEFAULT_MODEL_ID } from "@dsc/db";
import { loadOrganizationSnapshot } from "../organizations/organization-snapshot.ts";
import type { Clock } from "../time/clock.ts";
import { modelsAvailableTo } from "./organization-models.ts";

/**
 * The model the getting-started examples call: the built-in one when the organization's tier
 * may call it, else the first the tier may call (as `/v1/models` lists them), so a copied
 * example works at once. Without an organization (an admin), or when the tier may call
 * nothing, the built-in one: the example is still the right shape.
 */
export async function quickstartModelFor(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string | null },
): Promise<string> {
  if (input.organizationId === null) return DEFAULT_MODEL_ID;
  const organization = await loadOrganizationSnapshot(deps.db, input.organizationId);
  if (!organization) return DEFAULT_MODEL_ID;
  const available = modelsAvailableTo(organization, deps.clock.now()).map((model) => model.id);
  return available.includes(DEFAULT_MODEL_ID) ? DEFAULT_MODEL_ID : (available[0] ?? DEFAULT_MODEL_ID);
}
