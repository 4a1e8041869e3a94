import { ProviderError } from "./chat-provider.ts";

/**
 * The lifetime of one provider call: one signal that aborts the upstream work when the caller's
 * signal aborts, when the total timeout passes, or when the provider itself gives up (a stream
 * its consumer left).
 */
export interface CallScope {
  readonly signal: AbortSignal;
  /**
   * Why the call as a whole ended, if it did: the caller's abort reason, or a timeout. Checked
   * before reading any other error, since aborting makes the request fail in unrelated ways.
   */
  ended(): { reason: unknown } | null;
  /** aborts the upstream request (and closes its socket) */
  abort(): void;
  /** releases the timer and the listener; call once the call is over */
  end(): void;
}

export function openCallScope(callSignal: AbortSignal, totalMs: number): CallScope {
  const controller = new AbortController();
  let isTimedOut = false;
  const onCallAbort = () => controller.abort(callSignal.reason);
  callSignal.addEventListener("abort", onCallAbort, { once: true });
  if (callSignal.aborted) onCallAbort();
  const timer = setTimeout(() => {
    isTimedOut = true;
    controller.abort(totalTimeout());
  }, totalMs);
  // a pending call must not keep the process alive on its own
  timer.unref();

  return {
    signal: controller.signal,
    ended() {
      if (callSignal.aborted) return { reason: callSignal.reason };
      if (isTimedOut) return { reason: totalTimeout() };
      return null;
    },
    abort() {
      controller.abort(new ProviderError("bad_gateway", "upstream request abandoned"));
    },
    end() {
      clearTimeout(timer);
      callSignal.removeEventListener("abort", onCallAbort);
    },
  };
}

function totalTimeout(): ProviderError {
  return new ProviderError("timeout", "upstream did not finish within the total timeout");
}
