import type { RequestEndUserErasureInput } from "@dsc/trpc/schemas";

/** The fields of the erasure form as they are now (react-hook-form's watched values). */
type WatchedFields = Partial<RequestEndUserErasureInput>;

/** Whether two erasures name the same end user of the same organization, exactly as typed. */
export function isSameSubject(a: RequestEndUserErasureInput, b: RequestEndUserErasureInput): boolean {
  return a.organizationId === b.organizationId && a.endUserId === b.endUserId;
}

/**
 * The values still awaiting "File anyway": those counted and found to match nothing, while the
 * fields still say the same. Once either field changes the question is about another id, so it
 * is not asked (null), and what would be filed is never other than what was counted.
 */
export function pendingEmptyConfirmation(
  checked: RequestEndUserErasureInput | null,
  watched: WatchedFields,
): RequestEndUserErasureInput | null {
  if (checked === null) return null;
  const now = { organizationId: watched.organizationId ?? "", endUserId: watched.endUserId ?? "" };
  return isSameSubject(checked, now) ? checked : null;
}
