import { API_KEYS } from "@dsc/core";
import { credentialCommands } from "./credential-commands.ts";

/** `key create|list|revoke|rotate`: API keys, whose secret is the bearer token itself. */
const commands = credentialCommands({ kind: API_KEYS, group: "key", idName: "key id", expiryExample: "30d" });

export const keyCreate = commands.create;
export const keyList = commands.list;
export const keyRevoke = commands.revoke;
export const keyRotate = commands.rotate;
