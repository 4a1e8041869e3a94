export { open, seal } from "./aead.ts";
export { checkMasterKeys } from "./check-master-keys.ts";
export { type DataKey, type DataKeyDeps, getOrCreateDataKey, rewrapDataKeys, unwrap } from "./data-keys.ts";
export { loadMasterKeyring } from "./load-master-keyring.ts";
export {
  describeMasterKeyFailure,
  MasterKeyError,
  type MasterKeyFailure,
  type MasterKeyFailureReason,
} from "./master-key-error.ts";
export { createMasterKeyHealth, type MasterKeyHealth } from "./master-key-health.ts";
export { type MasterKey, type MasterKeyring, parseMasterKeyring } from "./master-keyring.ts";
