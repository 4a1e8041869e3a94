/**
 * The orders the organizations list offers: by name either way, or by when each was added.
 * Paged by keyset on (name, id) or (created_at, id), so every page stays stable.
 */
export const ORGANIZATION_SORTS = ["name_asc", "name_desc", "newest", "oldest"] as const;
export type OrganizationSort = (typeof ORGANIZATION_SORTS)[number];
