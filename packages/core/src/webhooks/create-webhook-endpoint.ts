import { WEBHOOK_DESCRIPTION_MAX_LENGTH } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import { parseWebhookUrl, resolveWebhookHost, systemHostLookup } from "./webhook-address-policy.ts";
import type { WebhookEndpointDeps } from "./webhook-deps.ts";
import { viewOfWebhookEndpoint, type WebhookEndpointView } from "./webhook-endpoint-view.ts";
import { checkSubscribedEventTypes } from "./webhook-event-types.ts";
import { newWebhookSecret, sealWebhookSecret } from "./webhook-secret.ts";

export interface CreateWebhookEndpointInput {
  /** null: a platform endpoint (admins only; the caller checks the role) */
  organizationId: string | null;
  url: string;
  description?: string | undefined;
  eventTypes: readonly string[];
  actor: Actor;
}

/** Checks a description's length and trims it. */
export function checkWebhookDescription(description: string | undefined): string {
  const trimmed = (description ?? "").trim();
  if (trimmed.length > WEBHOOK_DESCRIPTION_MAX_LENGTH) {
    throw new DomainError(
      "invalid",
      `The description is longer than ${WEBHOOK_DESCRIPTION_MAX_LENGTH} characters.`,
      "description",
    );
  }
  return trimmed;
}

/**
 * Endpoints an organization (or the platform) may have: each event is delivered once per
 * endpoint, so one owner with hundreds would take the queue's slots from everyone else.
 */
export const MAX_WEBHOOK_ENDPOINTS_PER_OWNER = 20;

async function checkEndpointRoom(deps: Pick<WebhookEndpointDeps, "db">, organizationId: string | null) {
  const count = await deps.db.webhookEndpoint.count({ where: { organizationId } });
  if (count >= MAX_WEBHOOK_ENDPOINTS_PER_OWNER) {
    const owner = organizationId === null ? "The platform has" : "An organization has";
    throw new DomainError(
      "conflict",
      `${owner} at most ${MAX_WEBHOOK_ENDPOINTS_PER_OWNER} webhook endpoints: delete one to add another.`,
      "organizationId",
    );
  }
}

/**
 * Registers an endpoint and returns its signing secret, once: only its sealed form is kept.
 * The URL's host is resolved now and refused when it names a private address (it is checked
 * again at every delivery, as DNS answers change).
 */
export async function createWebhookEndpoint(
  deps: WebhookEndpointDeps,
  input: CreateWebhookEndpointInput,
): Promise<{ endpoint: WebhookEndpointView; secret: string }> {
  const url = parseWebhookUrl(input.url.trim(), deps.addressPolicy);
  // with private addresses allowed there is nothing to refuse, so nothing to resolve
  if (!deps.addressPolicy.allowPrivate)
    await resolveWebhookHost(url, deps.addressPolicy, deps.lookup ?? systemHostLookup);
  const eventTypes = checkSubscribedEventTypes(input.eventTypes, input.organizationId);
  const description = checkWebhookDescription(input.description);
  if (input.organizationId !== null) {
    const organization = await deps.db.organization.findUnique({ where: { id: input.organizationId } });
    if (!organization) {
      throw new DomainError(
        "not_found",
        `organization ${input.organizationId} does not exist`,
        "organizationId",
      );
    }
  }
  await checkEndpointRoom(deps, input.organizationId);
  const id = newId("webhookEndpoint");
  const secret = newWebhookSecret();
  const sealed = sealWebhookSecret(deps.keyring, id, secret);
  const now = deps.clock.now();
  const row = await deps.db.$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        id,
        organizationId: input.organizationId,
        url: url.href,
        description,
        eventTypes,
        secretCiphertext: sealed.ciphertext,
        secretKeyVersion: sealed.keyVersion,
        createdAt: now,
        updatedAt: now,
      },
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: "webhook_endpoint.create",
      target: { type: "webhook_endpoint", id },
      organizationId: input.organizationId,
      metadata: { url: url.origin, eventTypes },
    });
    return created;
  });
  return { endpoint: viewOfWebhookEndpoint(row), secret };
}
