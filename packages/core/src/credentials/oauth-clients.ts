// The lifecycle of OAuth clients under the names the rest of the platform calls it by.
import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import { type CreateCredentialInput, type CredentialDeps, createCredential } from "./create-credential.ts";
import { OAUTH_CLIENTS } from "./credential-kinds.ts";
import { listCredentials } from "./list-credentials.ts";
import type { RevocationBus } from "./revocation/revocation-bus.ts";
import { type RevokeCredentialInput, revokeCredential } from "./revoke-credential.ts";
import { type RotateCredentialInput, rotateCredential } from "./rotate-credential.ts";
import { type SearchCredentialsInput, searchCredentials } from "./search-credentials.ts";

export const createOAuthClient = (deps: CredentialDeps, input: CreateCredentialInput) =>
  createCredential(OAUTH_CLIENTS, deps, input);
export const rotateOAuthClientSecret = (deps: CredentialDeps, input: RotateCredentialInput<"oauth_client">) =>
  rotateCredential(OAUTH_CLIENTS, deps, input);
export const revokeOAuthClient = (
  deps: { db: Database; clock: Clock; revocations?: Pick<RevocationBus, "publish"> | null },
  input: RevokeCredentialInput<"oauth_client">,
) => revokeCredential(OAUTH_CLIENTS, deps, input);
export const listOAuthClients = (deps: { db: Database; clock: Clock }, input: { organizationId: string }) =>
  listCredentials(OAUTH_CLIENTS, deps, input);
export const searchOAuthClients = (deps: { db: Database; clock: Clock }, input: SearchCredentialsInput) =>
  searchCredentials(OAUTH_CLIENTS, deps, input);
