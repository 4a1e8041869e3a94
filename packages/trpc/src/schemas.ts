/**
 * Every procedure's input schema and the shared vocabulary, for browser code: the dashboard's
 * forms validate with exactly what the server parses. Only zod is imported from here on.
 */
export * from "./account/account-input.ts";
export * from "./account/leave-organization-input.ts";
export * from "./api-keys/api-keys-input.ts";
export * from "./audit-log/audit-log-input.ts";
export * from "./conversation-logs/conversation-logs-input.ts";
export * from "./credentials/credential-input.ts";
export * from "./deletion-requests/deletion-requests-input.ts";
export * from "./files/files-input.ts";
export * from "./invitations/invitations-input.ts";
export * from "./members/members-input.ts";
export * from "./models/models-input.ts";
export * from "./oauth-clients/oauth-clients-input.ts";
export * from "./organizations/organizations-input.ts";
export * from "./password-reset/password-reset-input.ts";
export * from "./signup/signup-input.ts";
export * from "./tiers/tiers-input.ts";
export * from "./usage/usage-input.ts";
export * from "./users/users-input.ts";
export * from "./vocabulary.ts";
export * from "./webhooks/webhooks-input.ts";
