import { OAUTH_CLIENTS } from "@dsc/core";
import { credentialCommands } from "./credential-commands.ts";

/** `oauth-client create|list|revoke|rotate-secret`: applications that exchange their secret for access tokens. */
const commands = credentialCommands({
  kind: OAUTH_CLIENTS,
  group: "oauth-client",
  rotate: "rotate-secret",
  id: ["CLIENT_ID", "client id"],
  expiryExample: "90d",
  requiresScopes: true,
  listHeaders: ["CLIENT ID", "SECRET"],
  secretLabel: "client_secret: ",
  createdIdLabel: "client_id:     ",
  shownOnce: "The secret is shown only now. Store it somewhere safe.",
  afterCreate: ["Exchange it for access tokens at POST /oauth2/token (grant_type=client_credentials)."],
  revokeConsequence: "; its access tokens stop working now",
  withSecret: (client, secret) => ({ client_id: client.id, client_secret: secret, ...client }),
});

export const oauthClientCreate = commands.create;
export const oauthClientList = commands.list;
export const oauthClientRevoke = commands.revoke;
export const oauthClientRotateSecret = commands.rotate;
