import { DomainError, type OrganizationSnapshot } from "@dsc/core";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { GatewayDeps } from "../gateway-deps.ts";
import { principalOf } from "./authenticate.ts";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * the caller's organization once organizationOf read it: the limits hook and the route read
     * the same snapshot, once (a field of the request rather than a WeakMap keyed by it, whose
     * entries cost every young collection of the garbage collector)
     */
    organizationSnapshot: Promise<OrganizationSnapshot> | null;
  }
}

/** The request's slot for its organization's snapshot (build-gateway.ts registers it with authentication). */
export function decorateOrganizationSnapshot(app: FastifyInstance) {
  app.decorateRequest("organizationSnapshot", null);
}

/** The authenticated caller's organization, from the gateway's snapshot cache. */
export function organizationOf(
  deps: Pick<GatewayDeps, "organizations">,
  request: FastifyRequest,
): Promise<OrganizationSnapshot> {
  request.organizationSnapshot ??= loadOrganization(deps, request);
  return request.organizationSnapshot;
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
