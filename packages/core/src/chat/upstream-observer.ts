import { isProviderError } from "../providers/chat-provider.ts";
import { isUpstreamRefusal } from "../providers/upstream-failure.ts";

/**
 * How one call to an upstream ended: answered, refused this request (a 4xx: the caller's
 * doing, not the upstream's health), failed, timed out, or left by its client.
 */
export type UpstreamOutcome = "success" | "refused" | "error" | "timeout" | "aborted";

/** One call to an upstream model, as the gateway's metrics count it. */
export interface UpstreamObservation {
  /** the public model id (a row of the models table, so the set is bounded) */
  model: string;
  /** the id of the deployment that was tried (a row of model_deployment, so the set is bounded) */
  deployment: string;
  durationSeconds: number;
  /** until the first chunk of a stream; null for a JSON answer, which arrives whole */
  ttfbSeconds: number | null;
  outcome: UpstreamOutcome;
}

/** Told about every upstream call, once it has ended (attempts each count once). */
export type ObserveUpstream = (observation: UpstreamObservation) => void;

/** The outcome of a call that threw: the client's abort, the upstream's 4xx, a provider timeout, or an error. */
export function upstreamOutcomeOf(error: unknown, signal: AbortSignal): UpstreamOutcome {
  if (signal.aborted) return "aborted";
  if (isUpstreamRefusal(error)) return "refused";
  return isProviderError(error) && error.kind === "timeout" ? "timeout" : "error";
}
