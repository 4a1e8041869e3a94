/** Why a person opens a conversation log: a sentence, kept in the audit trail. */
export const CHAT_LOG_REASON_MIN_LENGTH = 10;
export const CHAT_LOG_REASON_MAX_LENGTH = 500;

/**
 * The actions the platform records, offered by the audit log's filter. Listing the distinct
 * actions of the table would read all of it; a new action is still found by typing its name.
 */
export const KNOWN_AUDIT_ACTIONS = [
  "api_key.create",
  "api_key.revoke",
  "api_key.rotate",
  "chat_log.decrypt",
  "chat_log.purge_expired",
  "chat_log.unmasked",
  "chat_log.viewed",
  "deletion_request.complete",
  "deletion_request.create",
  "deletion_request.fail",
  "deletion_request.hold",
  "deletion_request.needs_attention",
  "deletion_request.override_hold",
  "deletion_request.process_now",
  "deletion_request.retry",
  "file.delete",
  "file.expiry.change",
  "file.purge_expired",
  "file.sweep_orphans",
  "file.upload",
  "oauth_client.create",
  "oauth_client.revoke",
  "oauth_client.rotate_secret",
  "organization.create",
  "organization.data_protection.update",
  "organization.legal_hold.lift",
  "organization.legal_hold.place",
  "organization.retention.update",
  "organization.settings.update",
  "organization.tier.set",
  "signing_key.create",
  "signing_key.rotate",
  "subject.export",
  "tier.create",
  "tier.update",
  "usage_event.clear_end_users",
  "user.create",
  "user.deactivate",
  "user.password.change",
  "user.password.set",
  "user.reactivate",
  "user.role.set",
  "user.sessions.end",
  "user.sign_in",
] as const;
