/**
 * A duration the way OpenAI writes its `x-ratelimit-reset-*` headers (Go's time.Duration
 * format, to the millisecond): "250ms", "1s", "8.64s", "6m0s", "1h2m3s".
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return "0s";
  if (total < 1_000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const seconds = (total % 60_000) / 1_000;
  // the lookbehind reads a run of trailing zeros once, not once per character of it
  const secondsText = `${Number.isInteger(seconds) ? seconds : seconds.toFixed(3).replace(/(?<!0)0+$/, "")}s`;
  if (hours > 0) return `${hours}h${minutes}m${secondsText}`;
  if (minutes > 0) return `${minutes}m${secondsText}`;
  return secondsText;
}
