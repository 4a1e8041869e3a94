import { DomainError, type OrganizationSnapshot } from "@dsc/core";
import type { FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { principalOf } from "./authenticate.ts";

// one snapshot per request: the limits hook and the route read the same one (and once)
const snapshotOfRequest = new WeakMap<FastifyRequest, Promise<OrganizationSnapshot>>();

/** The authenticated caller's organization, from the gateway's snapshot cache. */
export function organizationOf(
  deps: Pick<GatewayDeps, "organizations">,
  request: FastifyRequest,
): Promise<OrganizationSnapshot> {
  let organization = snapshotOfRequest.get(request);
  if (!organization) {
    organization = loadOrganization(deps, request);
    snapshotOfRequest.set(request, organization);
  }
  return organization;
}

async function loadOrganization(
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
