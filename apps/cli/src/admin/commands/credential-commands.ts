import {
  type CredentialKind,
  type CredentialType,
  type CredentialView,
  cliActor,
  createCredential,
  listCredentials,
  parseDuration,
  type RevokeCredentialInput,
  type RotateCredentialInput,
  revokeCredential,
  rotateCredential,
} from "@dsc/core";
import { isPowerfulScope, POWERFUL_SCOPE_FLAGS } from "@dsc/vocabulary";
import {
  type AdminCommand,
  adminCommand,
  flag,
  iso,
  optionalDuration,
  required,
  table,
  text,
  UsageError,
} from "../command.ts";

/**
 * What the commands of one kind of credential say, beside the core kind they manage. The
 * optional words default to those of API keys; OAuth clients speak of client ids and secrets.
 */
export interface CredentialCommandsSpec<T extends CredentialType> {
  kind: CredentialKind<T>;
  /** the command group: `key`, `oauth-client` */
  group: string;
  /** how errors name the id, e.g. "key id" (usage lines say KEY_ID) */
  idName: string;
  /** the example lifetime in `create`'s usage */
  expiryExample: string;
  /** the rotation's subcommand (default `rotate`) */
  rotate?: string;
  /** whether `create` needs --scopes (default: no, the defaults apply) */
  requiresScopes?: boolean;
  /** the list's headers of the id and display-prefix columns (default ID, PREFIX) */
  listHeaders?: [id: string, prefix: string];
  /** show a new secret as `client_id` and `client_secret`, as OAuth calls them (default: the bare secret) */
  oauthNames?: boolean;
  /** a line after the created secret, e.g. how to use it */
  afterCreate?: string;
  /** what a revocation also does, appended to its line */
  revokeConsequence?: string;
}

/** The `create`, `list`, `revoke` and rotate commands of one kind of credential. */
export function credentialCommands<T extends CredentialType>(
  spec: CredentialCommandsSpec<T>,
): { create: AdminCommand; list: AdminCommand; revoke: AdminCommand; rotate: AdminCommand } {
  const { kind, group, rotate = "rotate", oauthNames = false } = spec;
  const idPlaceholder = spec.idName.toUpperCase().replaceAll(" ", "_");
  const scopesUsage = `${spec.requiresScopes ? "--scopes a,b [--name NAME]" : "[--name NAME] [--scopes a,b]"} [--confirm-powerful-scopes]`;
  const secretLine = (secret: string) => (oauthNames ? `  client_secret: ${secret}` : `  ${secret}`);
  const showSecret = (heading: string, secretLines: string[], after: string[] = []) =>
    [
      heading,
      "",
      ...secretLines,
      "",
      `${oauthNames ? "The" : "This"} secret is shown only now. Store it somewhere safe.`,
      ...after,
    ].join("\n");
  const withSecret = (credential: CredentialView<T>, secret: string) =>
    oauthNames
      ? { client_id: credential.id, client_secret: secret, ...credential }
      : { ...credential, key: secret };

  return {
    create: adminCommand({
      name: `${group} create`,
      usage: `${group} create --org ORG_ID ${scopesUsage} [--expires-in ${spec.expiryExample}]`,
      options: {
        org: required,
        name: text,
        scopes: spec.requiresScopes ? required : text,
        "confirm-powerful-scopes": flag,
        "expires-in": text,
      },
      async run(platform, { values }, out) {
        const scopes = values.scopes
          ?.split(",")
          .map((scope) => scope.trim())
          .filter(Boolean);
        if (spec.requiresScopes && scopes?.length === 0) {
          throw new UsageError("--scopes must name at least one scope");
        }
        const powerful = (scopes ?? []).filter(isPowerfulScope);
        const isConfirmed = values["confirm-powerful-scopes"] === true;
        if (powerful.length > 0 && !isConfirmed) {
          throw new UsageError(
            `with ${powerful.join(" and ")} this ${kind.noun} ${powerful.map((scope) => POWERFUL_SCOPE_FLAGS[scope]).join(" and ")}; add --confirm-powerful-scopes to grant ${powerful.length > 1 ? "them" : "it"} deliberately`,
          );
        }
        const expiresIn = values["expires-in"];
        const created = await createCredential(kind, platform, {
          organizationId: values.org,
          name: values.name,
          scopes,
          allowPowerfulScopes: isConfirmed,
          expiresInMs: expiresIn === undefined ? undefined : parseDuration(expiresIn, "expires-in"),
          actor: cliActor(),
        });
        const credential: CredentialView<T> = created[kind.resultField];
        const heading = [
          `created ${kind.noun} ${credential.id} (${credential.name}) for ${credential.organizationId}`,
          `scopes:  ${credential.scopes.join(", ")}`,
          ...powerful.map((scope) => `warning: it ${POWERFUL_SCOPE_FLAGS[scope]}`),
          `expires: ${iso(credential.expiresAt)}`,
        ].join("\n");
        out.result(
          showSecret(
            heading,
            [...(oauthNames ? [`  client_id:     ${credential.id}`] : []), secretLine(created.secret)],
            spec.afterCreate ? [spec.afterCreate] : [],
          ),
          withSecret(credential, created.secret),
        );
      },
    }),

    list: adminCommand({
      name: `${group} list`,
      usage: `${group} list --org ORG_ID`,
      options: { org: required },
      async run(platform, { values }, out) {
        const credentials = await listCredentials(kind, platform, { organizationId: values.org });
        const [idHeader, prefixHeader] = spec.listHeaders ?? ["ID", "PREFIX"];
        out.result(
          table(
            [idHeader, "NAME", prefixHeader, "STATE", "SCOPES", "CREATED", "LAST USED", "EXPIRES"],
            credentials.map((c) => [
              c.id,
              c.name,
              c[kind.prefixField],
              c.state,
              c.scopes.join(","),
              iso(c.createdAt),
              iso(c.lastUsedAt),
              iso(c.expiresAt),
            ]),
          ),
          credentials,
        );
      },
    }),

    revoke: adminCommand({
      name: `${group} revoke`,
      usage: `${group} revoke ${idPlaceholder}`,
      argument: spec.idName,
      async run(platform, { argument }, out) {
        const input = { [kind.idField]: argument, actor: cliActor() };
        const credential = await revokeCredential(kind, platform, input as RevokeCredentialInput<T>);
        out.result(
          `revoked ${kind.noun} ${credential.id} at ${iso(credential.revokedAt)}${spec.revokeConsequence ?? ""}`,
          credential,
        );
      },
    }),

    rotate: adminCommand({
      name: `${group} ${rotate}`,
      usage: `${group} ${rotate} ${idPlaceholder} [--grace 24h]`,
      argument: spec.idName,
      options: { grace: text },
      async run(platform, { values, argument }, out) {
        const input = {
          [kind.idField]: argument,
          gracePeriodMs: optionalDuration(values.grace, "grace"),
          actor: cliActor(),
        };
        const rotated = await rotateCredential(kind, platform, input as RotateCredentialInput<T>);
        const credential: CredentialView<T> = rotated[kind.resultField];
        const heading = `new secret for ${kind.noun} ${credential.id}; the old one works until ${iso(rotated.previousSecretExpiresAt)}`;
        out.result(showSecret(heading, [secretLine(rotated.secret)]), withSecret(credential, rotated.secret));
      },
    }),
  };
}
