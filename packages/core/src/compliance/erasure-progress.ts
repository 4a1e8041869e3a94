import type { DeletionRequest, Prisma } from "@dsc/db";

/** What an erasure has done so far, kept on the request so that a retry resumes there. */
export interface ErasureProgress {
  /**
   * per kind: how much was erased, and whether the kind is finished; a step that waits for
   * copies out of reach to expire (`cache_expiry`) has `until`, the time it is over
   */
  steps: Record<string, ErasureStep>;
}

export interface ErasureStep {
  erased: number;
  done: boolean;
  /** ISO 8601; only on a step that waits, e.g. for gateways' cached answers to expire */
  until?: string;
}

export function progressOf(stored: Prisma.JsonValue | null): ErasureProgress {
  const steps = (stored as { steps?: ErasureProgress["steps"] } | null)?.steps;
  return { steps: steps && typeof steps === "object" ? { ...steps } : {} };
}

/** What a request waits for before it may complete, e.g. gateways' cached answers to expire. */
export interface ErasureWait {
  /** the progress step, e.g. "cache_expiry" */
  step: string;
  /** when the wait is over; the worker completes the request on its first run after */
  until: Date;
}

/** The step a pending request waits in, its erasers all done; null when it waits for none. */
export function erasureWaitOf(request: Pick<DeletionRequest, "status" | "progress">): ErasureWait | null {
  if (request.status !== "PENDING") return null;
  for (const [step, state] of Object.entries(progressOf(request.progress).steps)) {
    if (!state.done && typeof state.until === "string") return { step, until: new Date(state.until) };
  }
  return null;
}
