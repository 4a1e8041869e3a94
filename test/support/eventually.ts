import { setTimeout as sleep } from "node:timers/promises";

/**
 * Waits until `check` holds, asking again every `intervalMs`; fails naming `what` once
 * `timeoutMs` has passed. For what happens in another process or after a timer, where a test has
 * nothing to await.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  what: string,
  { timeoutMs = 10_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`never happened within ${timeoutMs} ms: ${what}`);
    await sleep(intervalMs);
  }
}
