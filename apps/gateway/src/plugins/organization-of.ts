import { DomainError, type OrganizationSnapshot } from "@dsc/core";
import type { FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { principalOf } from "./authenticate.ts";

/** The authenticated caller's organization, from the gateway's snapshot cache. */
export async function organizationOf(
  deps: Pick<GatewayDeps, "organizations">,
  request: FastifyRequest,
): Promise<OrganizationSnapshot> {
  const organization = await deps.organizations.get(principalOf(request).organizationId);
  if (!organization) {
    // the organization was deleted while its credential was still cached
    throw new DomainError(
      "unauthenticated",
      "This credential's organization no longer exists.",
      null,
      "invalid_api_key",
    );
  }
  return organization;
}
