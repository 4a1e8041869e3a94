import { API_KEYS } from "@dsc/core";
import { credentialCommands } from "./credential-commands.ts";

/** `key create|list|revoke|rotate`: API keys, whose secret is the bearer token itself. */
const commands = credentialCommands({
  kind: API_KEYS,
  group: "key",
  rotate: "rotate",
  id: ["KEY_ID", "key id"],
  expiryExample: "30d",
  requiresScopes: false,
  listHeaders: ["ID", "PREFIX"],
  secretLabel: "",
  createdIdLabel: null,
  shownOnce: "This secret is shown only now. Store it somewhere safe.",
  afterCreate: [],
  revokeConsequence: "",
  withSecret: (key, secret) => ({ ...key, key: secret }),
});

export const keyCreate = commands.create;
export const keyList = commands.list;
export const keyRevoke = commands.revoke;
export const keyRotate = commands.rotate;
