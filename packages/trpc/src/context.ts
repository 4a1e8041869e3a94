import type {
  AccessRole,
  AccountThrottle,
  Clock,
  DeploymentHealthReader,
  FileStorage,
  GatewayHealthReader,
  Mailer,
  MasterKeyring,
  RevocationBus,
  Role,
  SignupPolicy,
  WebhookAddressPolicy,
} from "@dsc/core";
import type { Database } from "@dsc/db";

/** The signed-in person, as the dashboard session knows them (read fresh per request). */
export interface SessionUser {
  id: string;
  /**
   * What the procedures' rules test: ADMIN, COMPLIANCE, or the person's role in the
   * organization they work in now; null for someone of no organization (only account.* answers).
   */
  role: AccessRole | null;
  /** ADMIN, COMPLIANCE, or DEVELOPER (no platform role); absent: the same as role */
  platformRole?: Role;
  /** for members: the organization they work in now, the only one they may see */
  organizationId: string | null;
  /** whether they proved they receive mail at their address; absent: yes (keys need it) */
  emailVerified?: boolean;
  /** an admin set their password: only account.* procedures answer until they choose their own */
  mustChangePassword?: boolean;
}

/** What sign-up, invitations and password resets need of the dashboard's server. */
export interface AccountsSettings {
  /** SIGNUP: who may get an account */
  signup: SignupPolicy;
  /** null without SMTP_URL: a link is shown, once, to the person who made it */
  mailer: Mailer | null;
  /** the dashboard's public address (NEXTAUTH_URL), which links in e-mails point at */
  dashboardUrl: string;
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
  /** sign-up policy, mailer and links' address; absent: SIGNUP=invite, no e-mail, links to localhost */
  accounts?: AccountsSettings;
  /**
   * counts sign-ups, verification e-mails and reset requests per address and per client, on the
   * sign-ins' limiter (Redis when configured); absent: not counted (tests that do not care)
   */
  accountThrottle?: AccountThrottle | null;
}
