import { OAUTH_CLIENTS } from "@dsc/core";
import { credentialCommands } from "./credential-commands.ts";

/** `oauth-client create|list|revoke|rotate-secret`: applications that exchange their secret for access tokens. */
const commands = credentialCommands({
  kind: OAUTH_CLIENTS,
  group: "oauth-client",
  idName: "client id",
  expiryExample: "90d",
  rotate: "rotate-secret",
  requiresScopes: true,
  listHeaders: ["CLIENT ID", "SECRET"],
  oauthNames: true,
  afterCreate: "Exchange it for access tokens at POST /oauth2/token (grant_type=client_credentials).",
  revokeConsequence: "; its access tokens stop working now",
});

export const oauthClientCreate = commands.create;
export const oauthClientList = commands.list;
export const oauthClientRevoke = commands.revoke;
export const oauthClientRotateSecret = commands.rotate;
