import type {
  Clock,
  DeploymentHealthReader,
  FileStorage,
  GatewayHealthReader,
  MasterKeyring,
  RevocationBus,
  Role,
  WebhookAddressPolicy,
} from "@dsc/core";
import type { Database } from "@dsc/db";

/** The signed-in person, as the dashboard session knows them (read fresh per request). */
export interface SessionUser {
  id: string;
  role: Role;
  /** set for developers: the one organization they may see */
  organizationId: string | null;
  /** an admin set their password: only account.* procedures answer until they choose their own */
  mustChangePassword?: boolean;
}

export interface TrpcContext {
  db: Database;
  clock: Clock;
  /** the server-wide HMAC key of stored API-key and client-secret hashes */
  pepper: string;
  /** tells every gateway that a credential stopped working; null in tests that do not care */
  revocations: Pick<RevocationBus, "publish"> | null;
  user: SessionUser | null;
  /** the caller's IP address, for audit records */
  origin: string;
  /** the gateway's readiness and metrics for the overview; absent or null: not known here */
  gatewayHealth?: GatewayHealthReader | null;
  /** the gateway's deployment breakers for the models page; absent or null: shown as unknown */
  deploymentHealth?: DeploymentHealthReader | null;
  /** whether the dashboard signs people in through an identity provider (OIDC, GitHub); absent = none */
  hasIdentityProvider?: boolean;
  /** where uploaded files' bytes live, as the gateway stores them; absent: files cannot be deleted here */
  fileStorage?: FileStorage | null;
  /** the master keys that open conversation logs, as the gateway loads them; absent: no log opens here */
  keyring?: MasterKeyring | null;
  /** WEBHOOK_ALLOW_PRIVATE: endpoints on private addresses allowed; absent: refused */
  webhookAddressPolicy?: WebhookAddressPolicy | null;
}
