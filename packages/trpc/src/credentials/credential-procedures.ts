import {
  type CredentialKind,
  type CredentialType,
  createCredential,
  type IdField,
  type RevokeCredentialInput,
  type RotateCredentialInput,
  revokeCredential,
  rotateCredential,
  searchCredentials,
} from "@dsc/core";
import {
  actorOf,
  assertVerifiedEmail,
  assertVisibleOrganization,
  ownOrganization,
} from "../organization-scope.ts";
import { allowRoles } from "../procedure.ts";
import type { GraceChoice } from "../vocabulary.ts";
import { assertGrantableScopes, expiryMs, graceMs } from "./credential-grants.ts";
import {
  CreateCredentialInputSchema,
  ListCredentialsInputSchema,
  revokeCredentialInputSchema,
  rotateCredentialInputSchema,
} from "./credential-input.ts";

/**
 * The procedures of one kind of credential (API keys, OAuth clients). Developers see and
 * manage their organization's only: others' are not found.
 */
export function credentialProcedures<T extends CredentialType>(kind: CredentialKind<T>) {
  return {
    /** by organization and state, newest first */
    list: allowRoles("ADMIN", "COMPLIANCE", "OWNER", "DEVELOPER", "VIEWER")
      .input(ListCredentialsInputSchema)
      .query(({ ctx, input }) => {
        if (input.organizationId) assertVisibleOrganization(ctx.user, input.organizationId);
        return searchCredentials(kind, ctx, {
          ...input,
          organizationId: ownOrganization(ctx.user) ?? input.organizationId,
        });
      }),

    /** its secret is in this response only */
    create: allowRoles("ADMIN", "OWNER", "DEVELOPER")
      .input(CreateCredentialInputSchema)
      .mutation(({ ctx, input }) => {
        assertVisibleOrganization(ctx.user, input.organizationId);
        assertVerifiedEmail(ctx.user);
        assertGrantableScopes(ctx.user, input.scopes);
        return createCredential(kind, ctx, {
          organizationId: input.organizationId,
          name: input.name,
          scopes: input.scopes,
          allowPowerfulScopes: input.allowPowerfulScopes,
          expiresInMs: expiryMs(input.expiresIn),
          actor: actorOf(ctx),
        });
      }),

    /** a new secret; the old one works until the chosen grace period ends */
    rotate: allowRoles("ADMIN", "OWNER", "DEVELOPER")
      .input(rotateCredentialInputSchema(kind.idField))
      .mutation(({ ctx, input }) => {
        // tRPC cannot narrow an input whose key is generic; the schema above guarantees it
        // a new secret is a new key: the same rule as creating one
        assertVerifiedEmail(ctx.user);
        const { gracePeriod, ...named } = input as Record<IdField<T>, string> & { gracePeriod: GraceChoice };
        return rotateCredential(kind, ctx, {
          ...named,
          organizationId: ownOrganization(ctx.user) ?? undefined,
          gracePeriodMs: graceMs(gracePeriod),
          actor: actorOf(ctx),
        } as RotateCredentialInput<T>);
      }),

    /** every gateway refuses it (a client: and its access tokens) within a second */
    revoke: allowRoles("ADMIN", "OWNER", "DEVELOPER")
      .input(revokeCredentialInputSchema(kind.idField))
      .mutation(({ ctx, input }) =>
        revokeCredential(kind, ctx, {
          ...(input as Record<IdField<T>, string>),
          organizationId: ownOrganization(ctx.user) ?? undefined,
          actor: actorOf(ctx),
        } as RevokeCredentialInput<T>),
      ),
  };
}
