import { loadOrCreateSecretFile } from "@dsc/db";
import { type MasterKeyring, parseMasterKeyring } from "./master-keyring.ts";

/**
 * The master keys: ENCRYPTION_KEY when configured; otherwise one generated at first start into
 * DATA_DIR (mode 0600). Every process that reads or writes logs must share them, and losing
 * them loses the logs, so production requires the variable (and a backup of it).
 */
export async function loadMasterKeyring(options: {
  configured: string | null | undefined;
  dataDir: string;
  isProduction: boolean;
}): Promise<MasterKeyring> {
  if (options.configured) return parseMasterKeyring(options.configured);
  if (options.isProduction) {
    throw new Error("ENCRYPTION_KEY must be set in production (version:base64 of 32 random bytes)");
  }
  return parseMasterKeyring(`1:${await loadOrCreateSecretFile(options.dataDir, "encryption-key-v1")}`);
}
