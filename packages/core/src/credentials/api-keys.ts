// The lifecycle of API keys under the names the rest of the platform calls it by.
import type { Database } from "@dsc/db";
import type { Clock } from "../time/clock.ts";
import {
  type CreateCredentialInput,
  type CreatedCredential,
  type CredentialDeps,
  createCredential,
} from "./create-credential.ts";
import { API_KEYS } from "./credential-kinds.ts";
import { listCredentials } from "./list-credentials.ts";
import type { RevocationBus } from "./revocation/revocation-bus.ts";
import { type RevokeCredentialInput, revokeCredential } from "./revoke-credential.ts";
import { type RotateCredentialInput, rotateCredential } from "./rotate-credential.ts";
import { type SearchCredentialsInput, searchCredentials } from "./search-credentials.ts";

type Readers = { db: Database; clock: Clock };
type Publisher = { revocations?: Pick<RevocationBus, "publish"> | null };

export type CreatedApiKey = CreatedCredential<"api_key">;

export const createApiKey = (deps: CredentialDeps, input: CreateCredentialInput) =>
  createCredential(API_KEYS, deps, input);
export const listApiKeys = (deps: Readers, input: { organizationId: string }) =>
  listCredentials(API_KEYS, deps, input);
export const searchApiKeys = (deps: Readers, input: SearchCredentialsInput) =>
  searchCredentials(API_KEYS, deps, input);
export const rotateApiKey = (deps: CredentialDeps & Publisher, input: RotateCredentialInput<"api_key">) =>
  rotateCredential(API_KEYS, deps, input);
export const revokeApiKey = (deps: Readers & Publisher, input: RevokeCredentialInput<"api_key">) =>
  revokeCredential(API_KEYS, deps, input);
