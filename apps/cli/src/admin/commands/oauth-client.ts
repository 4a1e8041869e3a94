import {
  cliActor,
  createOAuthClient,
  listOAuthClients,
  parseDuration,
  revokeOAuthClient,
  rotateOAuthClientSecret,
} from "@dsc/core";
import {
  type AdminCommand,
  iso,
  noPositionals,
  onePositional,
  optionalDuration,
  optionalString,
  requiredString,
  table,
  UsageError,
} from "../command.ts";

export const oauthClientCreate: AdminCommand = {
  name: "oauth-client create",
  usage: "oauth-client create --org ORG_ID --scopes a,b [--name NAME] [--expires-in 90d]",
  options: {
    org: { type: "string" },
    scopes: { type: "string" },
    name: { type: "string" },
    "expires-in": { type: "string" },
  },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const scopes = requiredString(values, "scopes")
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean);
    if (scopes.length === 0) throw new UsageError("--scopes must name at least one scope");
    const expiresIn = optionalString(values, "expires-in");
    const { client, secret } = await createOAuthClient(platform, {
      organizationId: requiredString(values, "org"),
      name: optionalString(values, "name"),
      scopes,
      expiresInMs: expiresIn === undefined ? undefined : parseDuration(expiresIn, "expires-in"),
      actor: cliActor(),
    });
    out.result(
      [
        `created OAuth client ${client.id} (${client.name}) for ${client.organizationId}`,
        `scopes:  ${client.scopes.join(", ")}`,
        `expires: ${iso(client.expiresAt)}`,
        "",
        `  client_id:     ${client.id}`,
        `  client_secret: ${secret}`,
        "",
        "The secret is shown only now. Store it somewhere safe.",
        "Exchange it for access tokens at POST /oauth2/token (grant_type=client_credentials).",
      ].join("\n"),
      { client_id: client.id, client_secret: secret, ...client },
    );
  },
};

export const oauthClientList: AdminCommand = {
  name: "oauth-client list",
  usage: "oauth-client list --org ORG_ID",
  options: { org: { type: "string" } },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const clients = await listOAuthClients(platform, { organizationId: requiredString(values, "org") });
    out.result(
      table(
        ["CLIENT ID", "NAME", "SECRET", "STATE", "SCOPES", "CREATED", "LAST USED", "EXPIRES"],
        clients.map((c) => [
          c.id,
          c.name,
          c.secretPrefix,
          c.state,
          c.scopes.join(","),
          iso(c.createdAt),
          iso(c.lastUsedAt),
          iso(c.expiresAt),
        ]),
      ),
      clients,
    );
  },
};

export const oauthClientRevoke: AdminCommand = {
  name: "oauth-client revoke",
  usage: "oauth-client revoke CLIENT_ID",
  options: {},
  async run(platform, _values, positionals, out) {
    const client = await revokeOAuthClient(platform, {
      clientId: onePositional(positionals, "client id"),
      actor: cliActor(),
    });
    out.result(
      `revoked OAuth client ${client.id} at ${iso(client.revokedAt)}; its access tokens stop working now`,
      client,
    );
  },
};

export const oauthClientRotateSecret: AdminCommand = {
  name: "oauth-client rotate-secret",
  usage: "oauth-client rotate-secret CLIENT_ID [--grace 24h]",
  options: { grace: { type: "string" } },
  async run(platform, values, positionals, out) {
    const { client, secret, previousSecretExpiresAt } = await rotateOAuthClientSecret(platform, {
      clientId: onePositional(positionals, "client id"),
      gracePeriodMs: optionalDuration(values, "grace"),
      actor: cliActor(),
    });
    out.result(
      [
        `new secret for OAuth client ${client.id}; the old one works until ${iso(previousSecretExpiresAt)}`,
        "",
        `  client_secret: ${secret}`,
        "",
        "The secret is shown only now. Store it somewhere safe.",
      ].join("\n"),
      { client_id: client.id, client_secret: secret, ...client },
    );
  },
};
