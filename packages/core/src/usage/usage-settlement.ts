import type { UsageRecord, UsageWriter } from "./usage-writer.ts";

/**
 * Tokens a request reserved before it ran (limits/reserve-capacity.ts makes them), settled once
 * with what it used. Only the method is named here, so that usage does not import limits.
 */
export interface SettleableReservation {
  settle(usedTokens: number): Promise<void>;
}

/**
 * The end of every metered request: its UsageEvent queued in the batched writer and its token
 * reservation settled with the real count, off the response path.
 */
export interface UsageSettlement {
  /** Queues a request's usage event and settles its reservation with the tokens it used. */
  finish(record: UsageRecord, reservation: SettleableReservation | null): void;
  /** Settles a reservation made after its request had already been metered: nothing was used. */
  finishLate(reservation: SettleableReservation): void;
  /** How many requests have been metered since start. */
  readonly metered: number;
  /** Resolves once `count` requests have been metered since start and their settlements are done. */
  whenMetered(count: number): Promise<void>;
  /** Resolves once every settlement under way is done (at shutdown, before the writer closes). */
  drain(): Promise<void>;
}

export function createUsageSettlement(deps: {
  usage: Pick<UsageWriter, "record">;
  /** told about settlements the limiter refused (the reservation then expires by itself) */
  onError?: (error: unknown) => void;
}): UsageSettlement {
  const pending = new Set<Promise<unknown>>();
  const waiters = new Set<{ count: number; resolve: () => void }>();
  let metered = 0;

  const settle = (reservation: SettleableReservation, tokens: number) => {
    const work = reservation.settle(tokens).catch((error: unknown) => deps.onError?.(error));
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const drain = async () => {
    await Promise.allSettled([...pending]);
  };

  return {
    finish(record, reservation) {
      deps.usage.record(record);
      if (reservation) settle(reservation, record.cached ? 0 : record.promptTokens + record.completionTokens);
      metered += 1;
      for (const waiter of waiters) {
        if (metered < waiter.count) continue;
        waiters.delete(waiter);
        waiter.resolve();
      }
    },
    finishLate(reservation) {
      settle(reservation, 0);
    },
    get metered() {
      return metered;
    },
    async whenMetered(count) {
      if (metered < count) await new Promise<void>((resolve) => waiters.add({ count, resolve }));
      await drain();
    },
    drain,
  };
}
