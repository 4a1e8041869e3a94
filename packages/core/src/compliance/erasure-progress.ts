import type { Prisma } from "@dsc/db";

/** What an erasure has done so far, kept on the request so that a retry resumes there. */
export interface ErasureProgress {
  /** per kind: how much was erased, and whether the kind is finished */
  steps: Record<string, { erased: number; done: boolean }>;
}

export function progressOf(stored: Prisma.JsonValue | null): ErasureProgress {
  const steps = (stored as { steps?: ErasureProgress["steps"] } | null)?.steps;
  return { steps: steps && typeof steps === "object" ? { ...steps } : {} };
}
