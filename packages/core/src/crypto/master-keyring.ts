import { DomainError } from "../errors/domain-error.ts";

/** A key-encryption key: wraps data keys, never touches content. */
export interface MasterKey {
  version: number;
  key: Buffer;
}

/**
 * The master keys this process knows: the newest wraps new data keys; older ones only
 * unwrap, until the re-wrap job has moved every data key to the newest.
 */
export interface MasterKeyring {
  current: MasterKey;
  byVersion(version: number): MasterKey | undefined;
  versions: number[];
}

/**
 * Parses `ENCRYPTION_KEY`: one or more `version:base64` entries separated by commas, each a
 * 32-byte key (`openssl rand -base64 32`). A bare base64 key is version 1.
 */
export function parseMasterKeyring(text: string): MasterKeyring {
  const keys = text
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^(?:(\d{1,6}):)?([A-Za-z0-9+/=_-]+)$/.exec(entry);
      if (!match)
        throw new DomainError("invalid", "ENCRYPTION_KEY entries must be version:base64", "ENCRYPTION_KEY");
      const key = Buffer.from(match[2] as string, "base64");
      if (key.length !== 32) {
        throw new DomainError(
          "invalid",
          "each ENCRYPTION_KEY must be 32 bytes, base64-encoded",
          "ENCRYPTION_KEY",
        );
      }
      return { version: Number(match[1] ?? 1), key };
    });
  if (keys.length === 0) throw new DomainError("invalid", "ENCRYPTION_KEY is empty", "ENCRYPTION_KEY");
  const byVersion = new Map(keys.map((k) => [k.version, k]));
  if (byVersion.size !== keys.length) {
    throw new DomainError("invalid", "ENCRYPTION_KEY lists a version twice", "ENCRYPTION_KEY");
  }
  const versions = [...byVersion.keys()].sort((a, b) => b - a);
  return {
    current: byVersion.get(versions[0] as number) as MasterKey,
    byVersion: (version) => byVersion.get(version),
    versions,
  };
}
