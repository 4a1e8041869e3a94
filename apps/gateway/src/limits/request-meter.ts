import type { CallerLimits, Clock, Principal, TokenReservation, UsageRecord } from "@dsc/core";
import type { Metering } from "./metering.ts";

/** What a route learns about its call, for the usage record and the token settlement. */
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
 * or abandoned by the client) and every hold is released (a route holds while it still
 * learns what the call used, e.g. until a stream has ended); then it queues the UsageEvent and
 * settles the token reservation with the real count. It ends once, whatever happens.
 */
export class RequestMeter {
  limits: CallerLimits | null = null;
  private reservation: TokenReservation | null = null;
  private readonly outcome: Partial<MeteredOutcome> = {};
  private holds = 0;
  private closedWith: number | null = null;
  private hasEnded = false;
  private readonly startedAt = performance.now();

  constructor(
    private readonly context: {
      requestId: string;
      principal: Principal;
      endpoint: string;
      metering: Metering;
      clock: Clock;
    },
  ) {}

  /** Whether the caller's organization lets its answers be cached (known after the limit check). */
  get isCacheAllowed(): boolean {
    return this.limits?.isResponseCacheAllowed ?? false;
  }

  /** Keeps the meter open until the returned function is called. */
  hold(): () => void {
    this.holds += 1;
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      this.holds -= 1;
      this.endIfDone();
    };
  }

  /** The call's token reservation, settled when the meter ends (at once if it has ended). */
  attach(reservation: TokenReservation): void {
    if (this.hasEnded) {
      // the client left before the limits were checked: nothing was used
      this.context.metering.finishLate(reservation);
      return;
    }
    this.reservation = reservation;
  }

  report(outcome: Partial<MeteredOutcome>): void {
    Object.assign(this.outcome, outcome);
  }

  /** The response is over: `status` as sent, or 499 when the client left first. */
  responseClosed(status: number): void {
    this.closedWith ??= status;
    this.endIfDone();
  }

  private endIfDone() {
    if (this.hasEnded || this.closedWith === null || this.holds > 0) return;
    this.hasEnded = true;
    const { principal, metering } = this.context;
    const cached = this.outcome.cached ?? false;
    const promptTokens = cached ? 0 : (this.outcome.promptTokens ?? 0);
    const completionTokens = cached ? 0 : (this.outcome.completionTokens ?? 0);
    const record: UsageRecord = {
      requestId: this.context.requestId,
      organizationId: principal.organizationId,
      apiKeyId: principal.kind === "api_key" ? principal.credentialId : null,
      oauthClientId: principal.kind === "oauth_client" ? principal.credentialId : null,
      modelId: this.outcome.modelId ?? null,
      endpoint: this.context.endpoint,
      status: this.outcome.status ?? this.closedWith,
      latencyMs: Math.round(performance.now() - this.startedAt),
      promptTokens,
      completionTokens,
      cached,
      endUserId: this.outcome.endUserId ?? null,
      createdAt: this.context.clock.now(),
    };
    metering.finish(record, this.reservation);
  }
}
