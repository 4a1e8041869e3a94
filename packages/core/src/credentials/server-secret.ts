import { loadOrCreateSecretFile } from "@dsc/db";

export interface ServerSecretOptions {
  configured: string | null | undefined;
  dataDir: string;
  isProduction: boolean;
}

/**
 * A secret every instance must share: the configured variable when set; otherwise one
 * generated at first start into DATA_DIR (mode 0600), which suits a single machine, so
 * production requires the variable.
 */
export async function loadServerSecret(
  variable: string,
  fileName: string,
  options: ServerSecretOptions,
): Promise<string> {
  if (options.configured) return options.configured;
  if (options.isProduction) {
    throw new Error(`${variable} must be set in production (32 or more random characters)`);
  }
  return loadOrCreateSecretFile(options.dataDir, fileName);
}

/** The HMAC key of stored secret hashes (of API keys and OAuth clients): API_KEY_PEPPER. */
export function loadApiKeyPepper(options: ServerSecretOptions): Promise<string> {
  return loadServerSecret("API_KEY_PEPPER", "api-key-pepper", options);
}
