export { open, seal } from "./aead.ts";
export { type DataKey, type DataKeyDeps, getOrCreateDataKey, rewrapDataKeys, unwrap } from "./data-keys.ts";
export { loadMasterKeyring } from "./load-master-keyring.ts";
export { type MasterKey, type MasterKeyring, parseMasterKeyring } from "./master-keyring.ts";
