import { accountRouter } from "./account/account-router.ts";
import { apiKeysRouter } from "./api-keys/api-keys-router.ts";
import { auditLogRouter } from "./audit-log/audit-log-router.ts";
import { conversationLogsRouter } from "./conversation-logs/conversation-logs-router.ts";
import { deletionRequestsRouter } from "./deletion-requests/deletion-requests-router.ts";
import { filesRouter } from "./files/files-router.ts";
import { gettingStartedRouter } from "./getting-started/getting-started-router.ts";
import { invitationsRouter } from "./invitations/invitations-router.ts";
import { membersRouter } from "./members/members-router.ts";
import { modelsRouter } from "./models/models-router.ts";
import { oauthClientsRouter } from "./oauth-clients/oauth-clients-router.ts";
import { organizationsRouter } from "./organizations/organizations-router.ts";
import { overviewRouter } from "./overview/overview-router.ts";
import { passwordResetRouter } from "./password-reset/password-reset-router.ts";
import { router } from "./procedure.ts";
import { signupRouter } from "./signup/signup-router.ts";
import { tiersRouter } from "./tiers/tiers-router.ts";
import { usageRouter } from "./usage/usage-router.ts";
import { usersRouter } from "./users/users-router.ts";
import { webhooksRouter } from "./webhooks/webhooks-router.ts";

/** The dashboard's API; one sub-router per area. docs/rbac.md lists who may call what. */
export const appRouter = router({
  account: accountRouter,
  signup: signupRouter,
  passwordReset: passwordResetRouter,
  invitations: invitationsRouter,
  members: membersRouter,
  organizations: organizationsRouter,
  tiers: tiersRouter,
  models: modelsRouter,
  apiKeys: apiKeysRouter,
  oauthClients: oauthClientsRouter,
  users: usersRouter,
  deletionRequests: deletionRequestsRouter,
  overview: overviewRouter,
  gettingStarted: gettingStartedRouter,
  files: filesRouter,
  usage: usageRouter,
  conversationLogs: conversationLogsRouter,
  auditLog: auditLogRouter,
  webhooks: webhooksRouter,
});

export type AppRouter = typeof appRouter;
