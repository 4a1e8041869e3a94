import { SUBSCRIBABLE_WEBHOOK_EVENT_TYPES } from "@dsc/vocabulary";
import { DomainError } from "../errors/domain-error.ts";

/** The event types an endpoint subscribes to: at least one, each known, each once, sorted. */
export function checkSubscribedEventTypes(eventTypes: readonly string[]): string[] {
  const unique = [...new Set(eventTypes)].sort();
  if (unique.length === 0) throw new DomainError("invalid", "choose at least one event type", "eventTypes");
  const unknown = unique.find(
    (type) => !(SUBSCRIBABLE_WEBHOOK_EVENT_TYPES as readonly string[]).includes(type),
  );
  if (unknown !== undefined) {
    throw new DomainError("invalid", `unknown event type ${unknown.slice(0, 80)}`, "eventTypes");
  }
  return unique;
}
