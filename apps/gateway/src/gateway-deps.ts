import type {
  Authenticator,
  AuthorizationServer,
  ChatLogWriter,
  Clock,
  DeploymentHealth,
  DeploymentRouter,
  FileStorage,
  MasterKeyHealth,
  MasterKeyring,
  OrganizationSnapshotCache,
  ProviderResolver,
  TextWork,
} from "@dsc/core";
import type { Database } from "@dsc/db";
import type { Logger } from "pino";
import type { InFlightChats } from "./chat/in-flight-chats.ts";
import type { Metering } from "./limits/metering.ts";
import type { MetricsRecorder } from "./metrics/metrics-recorder.ts";
import type { Draining } from "./shutdown/draining.ts";

/**
 * Everything the gateway needs, built at start-up by buildGatewayDeps (build-gateway-deps.ts)
 * and passed in: server.ts and the test gateways build them the same way.
 */
export interface GatewayDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  /** each organization's limits, models and data policy, kept in memory until a change notification */
  organizations: OrganizationSnapshotCache;
  /** bearer credentials: API keys and OAuth access tokens (createBearerAuthenticator) */
  authenticator: Authenticator;
  providers: ProviderResolver;
  /**
   * sends each request to a deployment of its model, failing over before the first byte;
   * absent = one of the chat route's own, without breakers (hand-built deps)
   */
  router?: DeploymentRouter;
  /**
   * the circuit breaker and 429 cool-down of each deployment, which the router asks before an
   * attempt (snapshot() for the operator's view); absent = none kept (hand-built deps)
   */
  deploymentHealth?: DeploymentHealth;
  /** rate limits, quotas, response cache and usage metering (limits/metering.ts) */
  metering: Metering;
  /** this gateway's Prometheus registry and what the request path records in it (GET /metrics) */
  metrics: MetricsRecorder;
  /** the OAuth token endpoint and discovery documents; absent = not served */
  oauth?: AuthorizationServer | null;
  /** master keys of the encrypted conversation logs (export decrypts with them) */
  keyring: MasterKeyring;
  /**
   * whether those keys open what the database holds (checked at start, then every failed seal):
   * /readyz answers 503 naming the failing version; absent = not checked (hand-built deps)
   */
  masterKeys?: MasterKeyHealth;
  /** encrypts and stores conversation turns in batches, off the response path */
  chatLogs: ChatLogWriter;
  /**
   * token counting and PII masking of large texts in worker threads, so that one tenant's long
   * prompt never holds the event loop (createTextWorkPool; the chat-log writer shares it)
   */
  textWork: TextWork;
  /** where uploaded files' bytes live (disk or S3); absent = the files API answers 503 */
  fileStorage?: FileStorage | null;
  /** set by a shutdown: /readyz answers 503, other requests 503 shutting_down (shutdown/) */
  draining: Draining;
  /** the chat completions in flight, which a shutdown waits for and, past its grace, cuts */
  chats: InFlightChats;
}
