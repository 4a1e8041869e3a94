import { loadOrCreateSecretFile } from "@dsc/db";

/**
 * The HMAC key of stored API-key hashes: API_KEY_PEPPER when configured; otherwise one
 * generated at first start into DATA_DIR (mode 0600), which suits a single machine. Every
 * instance must share it, so production requires the variable.
 */
export async function loadApiKeyPepper(options: {
  configured: string | null | undefined;
  dataDir: string;
  isProduction: boolean;
}): Promise<string> {
  if (options.configured) return options.configured;
  if (options.isProduction) {
    throw new Error("API_KEY_PEPPER must be set in production (32 or more random characters)");
  }
  return loadOrCreateSecretFile(options.dataDir, "api-key-pepper");
}
