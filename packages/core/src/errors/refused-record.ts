/**
 * Whether the database refused the data itself rather than failing to take it: SQLSTATE class
 * 22 (data exception: a NUL byte in a text, a count beyond the column's range) or 23 (integrity
 * constraint: an organization that no longer exists). Sending the same row again fails the same
 * way, so such a row is set aside; anything else (a lost connection, a timeout) is retried.
 */
export function isRefusedRecord(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code.startsWith("22") || code.startsWith("23"));
}
