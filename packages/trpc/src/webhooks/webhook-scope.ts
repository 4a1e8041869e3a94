import type { WebhookEndpointDeps, WebhookViewer } from "@dsc/core";
import { TRPCError } from "@trpc/server";
import type { SessionUser, TrpcContext } from "../context.ts";
import { assertVisibleOrganization, ownOrganization } from "../organization-scope.ts";

/** Members act on their organization's endpoints only; admins (and readers) on any. */
export function webhookViewerOf(user: SessionUser): WebhookViewer {
  return { organizationId: ownOrganization(user) };
}

/** A member may name their organization; only admins may name the platform (null). */
export function assertWebhookOwner(user: SessionUser, organizationId: string | null): void {
  if (organizationId === null) {
    if (ownOrganization(user) !== null) {
      throw new TRPCError({ code: "FORBIDDEN", message: "Only admins manage the platform's webhooks." });
    }
    return;
  }
  assertVisibleOrganization(user, organizationId);
}

/** What creating or changing an endpoint needs: the master keys seal its secret. */
export function webhookDepsOf(ctx: TrpcContext): WebhookEndpointDeps {
  if (!ctx.keyring) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "The dashboard has no master keys (ENCRYPTION_KEY), so it cannot seal a webhook's secret.",
    });
  }
  return {
    db: ctx.db,
    clock: ctx.clock,
    keyring: ctx.keyring,
    addressPolicy: ctx.webhookAddressPolicy ?? { allowPrivate: false },
  };
}
