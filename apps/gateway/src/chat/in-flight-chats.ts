import { EventEmitter, once } from "node:events";

/** One chat completion being answered, as the route holds it. */
export interface InFlightChat {
  /**
   * Aborted, with the reason to answer, when the gateway cuts the call short (a shutdown whose
   * grace ran out): a stream ends with that error event, a JSON call answers it.
   */
  cut: AbortSignal;
  /** The call is over: its answer is out and its usage and log are handed on. Once is enough. */
  end(): void;
}

/**
 * The chat completions in flight in this process, so that a shutdown can wait for them and end
 * the ones still running after its grace with an error, while their usage is still metered.
 */
export interface InFlightChats {
  begin(): InFlightChat;
  readonly count: number;
  /** Cuts every call in flight with `reason`, and every call begun from now on. */
  cutAll(reason: Error): void;
  /** Resolves once no call is in flight (at once when none is). */
  whenNone(): Promise<void>;
}

export function createInFlightChats(): InFlightChats {
  const calls = new Set<AbortController>();
  const ended = new EventEmitter();
  let cutReason: Error | null = null;

  return {
    begin() {
      const controller = new AbortController();
      // a call that slipped in after the cut is cut at once, so that nothing outlives the shutdown
      if (cutReason) controller.abort(cutReason);
      calls.add(controller);
      return {
        cut: controller.signal,
        end() {
          if (!calls.delete(controller)) return;
          if (calls.size === 0) ended.emit("none");
        },
      };
    },
    get count() {
      return calls.size;
    },
    cutAll(reason) {
      cutReason ??= reason;
      for (const controller of calls) controller.abort(cutReason);
    },
    async whenNone() {
      if (calls.size > 0) await once(ended, "none");
    },
  };
}
