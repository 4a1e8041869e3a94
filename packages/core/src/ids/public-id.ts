import { customAlphabet } from "nanoid";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

// nanoid draws from a pool of CSPRNG bytes refilled in large blocks (one randomFillSync per
// many ids instead of one per id, which showed as 7 % of the gateway's CPU) and rejects the
// bytes that would bias the alphabet, so every character stays equally likely.
const base62 = customAlphabet(BASE62, 24);

/** `length` characters drawn uniformly from base62 with the OS CSPRNG. */
export function randomBase62(length: number): string {
  return base62(length);
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
  deployment: "dep_",
  webhookEndpoint: "whep_",
  webhookDelivery: "whdl_",
  webhookEvent: "evt_",
  accountToken: "atok_",
} as const;

export type IdKind = keyof typeof ID_PREFIX;

export function newId(kind: IdKind): string {
  return `${ID_PREFIX[kind]}${randomBase62(24)}`;
}
