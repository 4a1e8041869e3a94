/**
 * How large a request body each route accepts. Uploads stream under their tier's file size
 * and the form's own limits (files/upload-parts.ts); every other body is read whole into
 * memory before it is checked, so each route accepts what its largest valid request needs.
 */

/** A token endpoint request is a few short form fields. */
export const TOKEN_BODY_LIMIT = 8 * 1024;

// a token is about 4 bytes of text; JSON escaping (\uXXXX is 6 bytes for one character),
// message framing and inline images (base64 data URLs) take the rest of the margin
const BYTES_PER_TOKEN = 4;
const MARGIN = 8;
const CHAT_BODY_FLOOR = 2 * 1024 * 1024;

/**
 * The largest chat completion body: room for the largest context window among the models,
 * computed once at start-up, never below 2 MiB and never above the gateway's body limit.
 */
export function chatBodyLimitFor(largestContextWindow: number, bodyLimit: number): number {
  const needed = largestContextWindow * BYTES_PER_TOKEN * MARGIN;
  return Math.min(bodyLimit, Math.max(CHAT_BODY_FLOOR, needed));
}
