import type { Database } from "@dsc/db";
import { LEGAL_HOLD_REASON_MAX_LENGTH } from "@dsc/vocabulary";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { maskPii } from "../masking/pii-masking.ts";
import type { Clock } from "../time/clock.ts";
import {
  findOrganizationToChange,
  ORGANIZATION_DETAILS_INCLUDE,
  type OrganizationDetails,
  toOrganizationDetails,
} from "./organization-details.ts";

export { LEGAL_HOLD_REASON_MAX_LENGTH };

const PLACE = "organization.legal_hold.place";
const LIFT = "organization.legal_hold.lift";

/** Whether an organization's data is held, and what the audit trail says about the hold. */
export interface LegalHoldState {
  isOnHold: boolean;
  /** when the current hold was placed; null when not on hold or when it was set outside the platform */
  since: Date | null;
  reason: string | null;
  /** the user id (or "dsc-admin") who placed it */
  placedBy: string | null;
}

/**
 * Places or lifts a legal hold. While it is on, the retention jobs keep every chat log and
 * file of the organization, however old. Placing one needs a reason; it is kept in the
 * audit trail, the hold's only record of why and since when.
 */
export async function setLegalHold(
  deps: { db: Database; clock: Clock },
  input: { organizationId: string; legalHold: boolean; reason?: string | undefined; actor: Actor },
): Promise<OrganizationDetails> {
  const reason = checkReason(input.reason, input.legalHold);
  return deps.db.$transaction(async (tx) => {
    const before = await findOrganizationToChange(tx, input.organizationId);
    if (before.legalHold === input.legalHold) {
      // refused rather than repeated, so the recorded start and reason of a hold stay true
      throw new DomainError(
        "conflict",
        `organization ${before.id} is ${input.legalHold ? "already" : "not"} under a legal hold`,
        "legalHold",
      );
    }
    const updated = await tx.organization.update({
      where: { id: before.id },
      data: { legalHold: input.legalHold },
      include: ORGANIZATION_DETAILS_INCLUDE,
    });
    await recordAuditEvent(tx, deps.clock, {
      actor: input.actor,
      action: input.legalHold ? PLACE : LIFT,
      target: { type: "organization", id: before.id },
      organizationId: before.id,
      metadata: {
        from: { legalHold: before.legalHold },
        to: { legalHold: updated.legalHold },
        ...(reason ? { reason } : {}),
      },
    });
    return toOrganizationDetails(updated);
  });
}

/** The hold's state, with the reason and start of the current hold from the audit trail. */
export async function getLegalHold(
  deps: { db: Database },
  input: { organizationId: string },
): Promise<LegalHoldState> {
  const org = await deps.db.organization.findUnique({
    where: { id: input.organizationId },
    select: { id: true, legalHold: true },
  });
  if (!org) {
    throw new DomainError(
      "not_found",
      `organization ${input.organizationId} does not exist`,
      "organizationId",
    );
  }
  const latest = await deps.db.auditEvent.findFirst({
    where: { targetType: "organization", targetId: org.id, action: { in: [PLACE, LIFT] } },
    orderBy: { id: "desc" },
  });
  // a hold set with SQL has no place event, or only an older, lifted one
  if (!org.legalHold || latest?.action !== PLACE) {
    return { isOnHold: org.legalHold, since: null, reason: null, placedBy: null };
  }
  const metadata = latest.metadata as { reason?: unknown } | null;
  return {
    isOnHold: true,
    since: latest.occurredAt,
    reason: typeof metadata?.reason === "string" ? metadata.reason : null,
    placedBy: latest.actorId,
  };
}

/**
 * Required to place a hold, optional to lift one. The audit trail is append-only and cannot be
 * erased, so e-mail addresses, phone numbers and the like are masked out of the reason.
 */
function checkReason(reason: string | undefined, isPlacing: boolean): string | null {
  const trimmed = reason?.trim() ?? "";
  if (isPlacing && trimmed.length === 0) {
    throw new DomainError(
      "invalid",
      "Say why the hold is placed, e.g. the matter or case reference.",
      "reason",
    );
  }
  if (trimmed.length > LEGAL_HOLD_REASON_MAX_LENGTH) {
    throw new DomainError("invalid", `Use at most ${LEGAL_HOLD_REASON_MAX_LENGTH} characters.`, "reason");
  }
  return trimmed.length > 0 ? maskPii(trimmed) : null;
}
