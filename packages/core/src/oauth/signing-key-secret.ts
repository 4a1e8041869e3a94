import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { loadServerSecret, type ServerSecretOptions } from "../credentials/server-secret.ts";

/**
 * The secret that encrypts signing keys at rest: SIGNING_KEY_SECRET, which every gateway and
 * the CLI must share (generated into DATA_DIR when not configured outside production).
 */
export function loadSigningKeySecret(options: ServerSecretOptions): Promise<string> {
  return loadServerSecret("SIGNING_KEY_SECRET", "signing-key-secret", options);
}

const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** The AES-256 key of stored private keys; HKDF keeps it apart from any other use of the secret. */
function encryptionKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "", "dsc signing-key encryption v1", 32));
}

/**
 * AES-256-GCM: nonce ‖ ciphertext ‖ tag. The kid is the associated data, so a ciphertext
 * cannot be moved to another row.
 */
export function encryptPrivateKey(secret: string, kid: string, pkcs8: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv("aes-256-gcm", encryptionKey(secret), nonce);
  cipher.setAAD(Buffer.from(kid, "utf8"));
  const body = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return Buffer.concat([nonce, body, cipher.getAuthTag()]);
}

/** Throws when the secret, the kid or the bytes differ from those at encryption. */
export function decryptPrivateKey(secret: string, kid: string, sealed: Uint8Array): Buffer {
  const bytes = Buffer.from(sealed);
  if (bytes.length < NONCE_BYTES + TAG_BYTES) throw new Error(`signing key ${kid}: ciphertext too short`);
  const decipher = createDecipheriv("aes-256-gcm", encryptionKey(secret), bytes.subarray(0, NONCE_BYTES));
  decipher.setAAD(Buffer.from(kid, "utf8"));
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
  return Buffer.concat([
    decipher.update(bytes.subarray(NONCE_BYTES, bytes.length - TAG_BYTES)),
    decipher.final(),
  ]);
}
