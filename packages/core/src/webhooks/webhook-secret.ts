import { randomBytes } from "node:crypto";
import { open, seal } from "../crypto/aead.ts";
import { MasterKeyError } from "../crypto/master-key-error.ts";
import type { MasterKeyring } from "../crypto/master-keyring.ts";

const SECRET_PREFIX = "whsec_";

/** A new signing secret as Standard Webhooks write it: "whsec_" and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString("base64")}`;
}

// The endpoint's id is the associated data: a sealed secret copied onto another endpoint's row
// does not open there.
const secretContext = (endpointId: string) => `webhook-secret:${endpointId}`;

/** The secret sealed under the current master key, to be stored with the key's version. */
export function sealWebhookSecret(
  keyring: MasterKeyring,
  endpointId: string,
  secret: string,
): { ciphertext: Uint8Array<ArrayBuffer>; keyVersion: number } {
  const { current } = keyring;
  return {
    ciphertext: new Uint8Array(seal(current.key, Buffer.from(secret, "utf8"), secretContext(endpointId))),
    keyVersion: current.version,
  };
}

/** The secret back, to sign with; a MasterKeyError when its master key is missing or wrong. */
export function openWebhookSecret(
  keyring: MasterKeyring,
  endpointId: string,
  sealed: { ciphertext: Uint8Array; keyVersion: number },
): string {
  const master = keyring.byVersion(sealed.keyVersion);
  if (!master) throw new MasterKeyError({ version: sealed.keyVersion, reason: "not_configured" });
  try {
    return open(master.key, Buffer.from(sealed.ciphertext), secretContext(endpointId)).toString("utf8");
  } catch (error) {
    throw new MasterKeyError({ version: sealed.keyVersion, reason: "wrong_key" }, { cause: error });
  }
}
