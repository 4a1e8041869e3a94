import { PLATFORM_ONLY_WEBHOOK_EVENT_TYPES, SUBSCRIBABLE_WEBHOOK_EVENT_TYPES } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";

/**
 * The event types an endpoint subscribes to: at least one, each known, each once, sorted. An
 * organization's endpoint may not choose the platform's own events (a deployment's breaker),
 * which are only ever sent to the platform's endpoints.
 */
export function checkSubscribedEventTypes(
  eventTypes: readonly string[],
  organizationId: string | null,
): string[] {
  const unique = [...new Set(eventTypes)].sort();
  if (unique.length === 0) throw new DomainError("invalid", "Choose at least one event type.", "eventTypes");
  const unknown = unique.find(
    (type) => !(SUBSCRIBABLE_WEBHOOK_EVENT_TYPES as readonly string[]).includes(type),
  );
  if (unknown !== undefined) {
    throw new DomainError("invalid", `There is no event type ${unknown.slice(0, 80)}.`, "eventTypes");
  }
  const platformOnly = unique.find((type) =>
    (PLATFORM_ONLY_WEBHOOK_EVENT_TYPES as readonly string[]).includes(type),
  );
  if (organizationId !== null && platformOnly !== undefined) {
    throw new DomainError(
      "invalid",
      `The event ${platformOnly} is sent only to the platform's endpoints, not to an organization's.`,
      "eventTypes",
    );
  }
  return unique;
}
