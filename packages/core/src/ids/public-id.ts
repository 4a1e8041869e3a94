import { randomBytes } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * `length` characters drawn uniformly from base62 with the OS CSPRNG. Bytes of 248 and above
 * are rejected so that every character is equally likely (256 is not a multiple of 62).
 */
export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248) out += BASE62[byte % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** The prefixes of public ids, one per kind of object. */
export const ID_PREFIX = {
  organization: "org_",
  user: "usr_",
  apiKey: "key_",
  oauthClient: "oc_",
  dataKey: "dk_",
  deletionRequest: "delreq_",
  file: "file-",
} as const;

export type IdKind = keyof typeof ID_PREFIX;

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}${randomBase62(24)}`;
}
