import { cliActor, createApiKey, listApiKeys, parseDuration, revokeApiKey, rotateApiKey } from "@dsc/core";
import {
  type AdminCommand,
  iso,
  noPositionals,
  onePositional,
  optionalDuration,
  optionalString,
  requiredString,
  table,
} from "../command.ts";

export const keyCreate: AdminCommand = {
  name: "key create",
  usage: "key create --org ORG_ID [--name NAME] [--scopes a,b] [--expires-in 30d]",
  options: {
    org: { type: "string" },
    name: { type: "string" },
    scopes: { type: "string" },
    "expires-in": { type: "string" },
  },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const scopes = optionalString(values, "scopes")
      ?.split(",")
      .map((scope) => scope.trim())
      .filter(Boolean);
    const expiresIn = optionalString(values, "expires-in");
    const { key, secret } = await createApiKey(platform, {
      organizationId: requiredString(values, "org"),
      name: optionalString(values, "name"),
      scopes,
      expiresInMs: expiresIn === undefined ? undefined : parseDuration(expiresIn, "expires-in"),
      actor: cliActor(),
    });
    out.result(
      [
        `created API key ${key.id} (${key.name}) for ${key.organizationId}`,
        `scopes:  ${key.scopes.join(", ")}`,
        `expires: ${iso(key.expiresAt)}`,
        "",
        `  ${secret}`,
        "",
        "This secret is shown only now. Store it somewhere safe.",
      ].join("\n"),
      { ...key, key: secret },
    );
  },
};

export const keyList: AdminCommand = {
  name: "key list",
  usage: "key list --org ORG_ID",
  options: { org: { type: "string" } },
  async run(platform, values, positionals, out) {
    noPositionals(positionals);
    const keys = await listApiKeys(platform, { organizationId: requiredString(values, "org") });
    out.result(
      table(
        ["ID", "NAME", "PREFIX", "STATE", "SCOPES", "CREATED", "LAST USED", "EXPIRES"],
        keys.map((k) => [
          k.id,
          k.name,
          k.prefix,
          k.state,
          k.scopes.join(","),
          iso(k.createdAt),
          iso(k.lastUsedAt),
          iso(k.expiresAt),
        ]),
      ),
      keys,
    );
  },
};

export const keyRevoke: AdminCommand = {
  name: "key revoke",
  usage: "key revoke KEY_ID",
  options: {},
  async run(platform, _values, positionals, out) {
    const key = await revokeApiKey(platform, {
      apiKeyId: onePositional(positionals, "key id"),
      actor: cliActor(),
    });
    out.result(`revoked API key ${key.id} at ${iso(key.revokedAt)}`, key);
  },
};

export const keyRotate: AdminCommand = {
  name: "key rotate",
  usage: "key rotate KEY_ID [--grace 24h]",
  options: { grace: { type: "string" } },
  async run(platform, values, positionals, out) {
    const { key, secret, previousSecretExpiresAt } = await rotateApiKey(platform, {
      apiKeyId: onePositional(positionals, "key id"),
      gracePeriodMs: optionalDuration(values, "grace"),
      actor: cliActor(),
    });
    out.result(
      [
        `new secret for API key ${key.id}; the old one works until ${iso(previousSecretExpiresAt)}`,
        "",
        `  ${secret}`,
        "",
        "This secret is shown only now. Store it somewhere safe.",
      ].join("\n"),
      { ...key, key: secret },
    );
  },
};
