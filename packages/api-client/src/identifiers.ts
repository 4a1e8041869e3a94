import { z } from "zod";

/*
 * Ids that clients send. Each is refused alike by every route that takes it, before anything
 * stores or looks it up: PostgreSQL's text cannot hold NUL or an unpaired UTF-16 surrogate,
 * so such a value would otherwise fail deep inside (a 500, or a chat log silently lost).
 */

// a high surrogate not followed by a low one, or a low one not preceded by a high one
// (String.prototype.isWellFormed, which the ES2023 typings do not know yet)
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Well-formed UTF-16: every surrogate is half of a pair. */
export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value);
}

/** No NUL and no unpaired surrogate: text PostgreSQL stores and gives back unchanged. */
export function isStorableText(value: string): boolean {
  return !value.includes("\u0000") && isWellFormedText(value);
}

// control characters (C0, DEL, C1): nothing an application names its users with, and
// trouble in the logs and screens that show the id
const CONTROL = /\p{Cc}/u;

export const END_USER_ID_MAX_LENGTH = 256;

/**
 * The end user an organization names (chat's `user`, an upload's `user`, `/v1/users/{user}`):
 * 1 to 256 UTF-16 code units, kept and compared exactly as sent (never trimmed), well-formed
 * UTF-16 without control characters.
 */
export const EndUserIdSchema = z
  .string()
  .min(1, "must not be empty")
  .max(END_USER_ID_MAX_LENGTH, `must be at most ${END_USER_ID_MAX_LENGTH} characters`)
  .refine(isWellFormedText, "must be well-formed Unicode (no unpaired surrogate)")
  .refine((value) => !CONTROL.test(value), "must not contain control characters");
export type EndUserId = z.infer<typeof EndUserIdSchema>;

/**
 * The end user named in a request body: absent, or an empty string, names nobody (OpenAI
 * accepts `user: ""`, and some clients send it by default); anything else is an EndUserId.
 */
export const RequestEndUserSchema = z.union([z.literal(""), EndUserIdSchema]).optional();

/** An id the API hands out (`file-…`, `delreq_…`), as a client may send it back. */
export const ObjectIdSchema = z
  .string()
  .min(1)
  .max(128)
  .refine(isStorableText, "must not contain NUL or unpaired surrogates");
