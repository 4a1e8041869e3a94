/**
 * Reading a response from another service of ours (the gateway's /readyz, /metrics, breakers)
 * without trusting its size: a misbehaving peer must not make the reader buffer without bound.
 */

/** The body as text, or null when it is larger than `maxBytes` (then it is not read further). */
export async function boundedText(response: Response, maxBytes: number): Promise<string | null> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** Gives `result` after cancelling the unread body, so the connection is not held for it. */
export async function discard<T>(response: Response, result: T): Promise<T> {
  await response.body?.cancel().catch(() => {});
  return result;
}
