import type { Database, DeletionRequest, DeletionSubjectType, Prisma } from "@dsc/db";
import type { Actor } from "../audit/actor.ts";
import { recordAuditEvent } from "../audit/record-audit-event.ts";
import { DomainError } from "../errors/domain-error.ts";
import { newId } from "../ids/public-id.ts";
import type { Clock } from "../time/clock.ts";
import { lockOrganizationMembers } from "../users/organization-owners.ts";
import { assertAnotherActiveAdmin } from "../users/role-assignment.ts";

/** GDPR art. 12(3) allows a month; the product promises 72 hours. */
export const ERASURE_DEADLINE_MS = 72 * 3_600_000;

/**
 * Opens an erasure request, due 72 hours from now. While one is pending or running for the
 * same subject, that one is returned instead (the call is idempotent).
 *
 * End users and organizations are erased within an organization, which must be given. An
 * account (a dashboard person, by user id) belongs to the person's own organization, or to
 * none for admins and compliance officers; a caller that names an organization must name the
 * person's. The last active admin cannot be erased.
 */
export async function requestDeletion(
  deps: { db: Database; clock: Clock },
  input: DeletionRequestInput,
): Promise<{ request: DeletionRequest; created: boolean }> {
  assertDeletionSubject(input);
  return deps.db.$transaction((tx) => openDeletionRequest(tx, deps.clock, input));
}

export interface DeletionRequestInput {
  organizationId: string | null;
  subjectType: DeletionSubjectType;
  subjectId: string;
  actor: Actor;
  /** when it must be done; 72 hours from now when absent */
  dueAt?: Date;
}

function assertDeletionSubject(input: DeletionRequestInput): void {
  // exactly as given: an end user is erased under the id their data was stored with
  if (input.subjectId.length === 0 || input.subjectId.length > 256) {
    throw new DomainError("invalid", "the subject id must be 1 to 256 characters", "id");
  }
  if (input.subjectType !== "ACCOUNT" && !input.organizationId) {
    throw new DomainError(
      "invalid",
      "erasing an end user or an organization needs its organization",
      "organizationId",
    );
  }
}

/**
 * `requestDeletion` inside the caller's transaction, for callers that must open requests
 * under locks of their own (an account's erasure under its organizations' member locks).
 */
export async function openDeletionRequest(
  tx: Prisma.TransactionClient,
  clock: Clock,
  input: DeletionRequestInput,
): Promise<{ request: DeletionRequest; created: boolean }> {
  assertDeletionSubject(input);
  const subjectId = input.subjectId;
  const isAccount = input.subjectType === "ACCOUNT";
  // serialise concurrent requests for one subject, so only one is opened; a person's id is
  // unique across organizations, so theirs is the whole key
  const lockKey = isAccount
    ? `ACCOUNT:${subjectId}`
    : `${input.organizationId}:${input.subjectType}:${subjectId}`;
  const erasedOrganizationId =
    input.subjectType === "ORGANIZATION" && input.organizationId === subjectId ? subjectId : null;
  // before the request's own lock, in the order every member change takes them: nobody is
  // invited into, or joins, the organization while its erasure opens
  if (erasedOrganizationId) await lockOrganizationMembers(tx, erasedOrganizationId);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${lockKey}))`;
  // nobody joins an organization on its way out: its invitations end now, not when it is erased
  if (erasedOrganizationId) {
    await tx.accountToken.deleteMany({
      where: { organizationId: erasedOrganizationId, purpose: "INVITATION" },
    });
  }
  const organizationId = isAccount
    ? await organizationOfAccount(tx, subjectId, input.organizationId)
    : input.organizationId;
  const open = await tx.deletionRequest.findFirst({
    where: {
      organizationId,
      subjectType: input.subjectType,
      subjectId,
      status: { in: ["PENDING", "PROCESSING", "ON_HOLD", "NEEDS_ATTENTION"] },
    },
  });
  if (open) return { request: open, created: false };
  const now = clock.now();
  const request = await tx.deletionRequest.create({
    data: {
      id: newId("deletionRequest"),
      organizationId,
      subjectType: input.subjectType,
      subjectId,
      requestedBy: `${input.actor.type.toLowerCase()}:${input.actor.id}`,
      createdAt: now,
      dueAt: input.dueAt ?? new Date(now.getTime() + ERASURE_DEADLINE_MS),
    },
  });
  await recordAuditEvent(tx, clock, {
    actor: input.actor,
    action: "deletion_request.create",
    target: { type: "deletion_request", id: request.id },
    organizationId,
    metadata: { subjectType: input.subjectType, dueAt: request.dueAt.toISOString() },
  });
  return { request, created: true };
}

/**
 * The organization an account erasure belongs to: the person's own, or null. Naming another
 * organization finds nobody, so one organization cannot erase another's people. Erasing the
 * last active admin would leave nobody to run the platform, so it is refused here (and again
 * when the worker erases, as admins may change in between).
 */
async function organizationOfAccount(
  tx: Prisma.TransactionClient,
  userId: string,
  named: string | null,
): Promise<string | null> {
  const person = await tx.user.findUnique({
    where: { id: userId },
    select: { organizationId: true, role: true, deactivatedAt: true },
  });
  if (!person || (named !== null && person.organizationId !== named)) {
    const where = named === null ? "" : ` in organization ${named}`;
    throw new DomainError("not_found", `no person ${userId}${where}`, "id");
  }
  if (person.role === "ADMIN" && !person.deactivatedAt) await assertAnotherActiveAdmin(tx, userId);
  return person.organizationId;
}

/** One of the organization's requests; another organization's id is not found. */
export async function getDeletionRequest(
  deps: { db: Database },
  input: { organizationId: string; id: string },
): Promise<DeletionRequest> {
  const request = await deps.db.deletionRequest.findFirst({
    where: { id: input.id, organizationId: input.organizationId },
  });
  if (!request) throw new DomainError("not_found", `No deletion request with id '${input.id}'.`, "id");
  return request;
}
