export { assertOrganizationExists } from "./assert-organization-exists.ts";
export { type CreateOrganizationInput, createOrganization } from "./create-organization.ts";
export { findTierBySlug } from "./find-tier.ts";
export { getOrganization } from "./get-organization.ts";
export {
  getLegalHold,
  LEGAL_HOLD_REASON_MAX_LENGTH,
  type LegalHoldState,
  setLegalHold,
} from "./legal-hold.ts";
export { listOrganizationMembers, type OrganizationMember } from "./list-organization-members.ts";
export { type ListOrganizationsInput, listOrganizations } from "./list-organizations.ts";
export {
  createOrganizationChangeFeed,
  ORGANIZATION_CHANGES_CHANNEL,
  type OrganizationChange,
  type OrganizationChangeFeed,
  parseOrganizationChange,
} from "./organization-changes.ts";
export type { OrganizationDetails } from "./organization-details.ts";
export {
  loadOrganizationSnapshot,
  type OrganizationSnapshot,
} from "./organization-snapshot.ts";
export {
  createOrganizationSnapshotCache,
  type OrganizationSnapshotCache,
  type OrganizationSnapshotCacheOptions,
} from "./organization-snapshot-cache.ts";
export type { OrganizationView } from "./organization-view.ts";
export type { DeployedModel, ServedModel } from "./served-model.ts";
export { setOrganizationTier } from "./set-organization-tier.ts";
export {
  type DataProtectionSettings,
  updateDataProtection,
} from "./update-data-protection.ts";
export {
  type OrganizationSettings,
  updateOrganizationSettings,
} from "./update-organization-settings.ts";
export { type RetentionOverrides, updateRetention } from "./update-retention.ts";
