/**
 * A reading of a peer kept for `cacheMs` from its `checkedAt`, so a page polled by many viewers
 * asks the peer at most once per period, and concurrent readers share the one request under way.
 */
export function cachedReading<T extends { checkedAt: Date }>(
  now: () => Date,
  cacheMs: number,
  fetchReading: () => Promise<T>,
): () => Promise<T> {
  let cached: T | null = null;
  let inFlight: Promise<T> | null = null;
  return () => {
    if (cached && now().getTime() - cached.checkedAt.getTime() < cacheMs) {
      return Promise.resolve(cached);
    }
    inFlight ??= fetchReading()
      .then((reading) => {
        cached = reading;
        return reading;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };
}
