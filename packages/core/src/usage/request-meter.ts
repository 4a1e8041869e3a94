import type { Principal } from "../credentials/principal.ts";
import type { Clock } from "../time/clock.ts";
import type { SettleableReservation, UsageSettlement } from "./usage-settlement.ts";
import type { UsageRecord } from "./usage-writer.ts";

/** What a use case learns about its call, for the usage record and the token settlement. */
export interface MeteredOutcome {
  modelId: string | null;
  endUserId: string | null;
  promptTokens: number;
  completionTokens: number;
  /** answered from the response cache: counts as a request, not as tokens */
  cached: boolean;
  /** the status to record when it is not the one sent (a stream that failed after its headers) */
  status: number;
}

/**
 * The metering of one authenticated /v1 request. It ends when the response is closed (sent,
 * or abandoned by the client) and every hold is released (a use case holds while it still
 * learns what the call used, e.g. until a stream has ended); then it queues the UsageEvent and
 * settles the token reservation with the real count. It ends once, whatever happens.
 */
export interface RequestMeter {
  /** Keeps the meter open until the returned function is called (calling it again does nothing). */
  hold(): () => void;
  /** The call's token reservation, settled when the meter ends (at once if it has ended). */
  attach(reservation: SettleableReservation): void;
  report(outcome: Partial<MeteredOutcome>): void;
  /** The response is over: `status` as sent, or 499 when the client left first. */
  responseClosed(status: number): void;
}

export function createRequestMeter(
  deps: { settlement: Pick<UsageSettlement, "finish" | "finishLate">; clock: Clock },
  input: { requestId: string; principal: Principal; endpoint: string },
): RequestMeter {
  const outcome: Partial<MeteredOutcome> = {};
  const startedAt = performance.now();
  let reservation: SettleableReservation | null = null;
  let holds = 0;
  let closedWith: number | null = null;
  let hasEnded = false;

  const endIfDone = () => {
    if (hasEnded || closedWith === null || holds > 0) return;
    hasEnded = true;
    const { principal } = input;
    const cached = outcome.cached ?? false;
    const record: UsageRecord = {
      requestId: input.requestId,
      organizationId: principal.organizationId,
      apiKeyId: principal.kind === "api_key" ? principal.credentialId : null,
      oauthClientId: principal.kind === "oauth_client" ? principal.credentialId : null,
      modelId: outcome.modelId ?? null,
      endpoint: input.endpoint,
      status: outcome.status ?? closedWith,
      latencyMs: Math.round(performance.now() - startedAt),
      promptTokens: cached ? 0 : (outcome.promptTokens ?? 0),
      completionTokens: cached ? 0 : (outcome.completionTokens ?? 0),
      cached,
      endUserId: outcome.endUserId ?? null,
      createdAt: deps.clock.now(),
    };
    deps.settlement.finish(record, reservation);
  };

  return {
    hold() {
      holds += 1;
      let isReleased = false;
      return () => {
        if (isReleased) return;
        isReleased = true;
        holds -= 1;
        endIfDone();
      };
    },
    attach(granted) {
      // the client left before the limits were checked: nothing was used
      if (hasEnded) deps.settlement.finishLate(granted);
      else reservation = granted;
    },
    report(reported) {
      Object.assign(outcome, reported);
    },
    responseClosed(status) {
      closedWith ??= status;
      endIfDone();
    },
  };
}
