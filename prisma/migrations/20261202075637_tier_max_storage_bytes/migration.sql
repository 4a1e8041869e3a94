-- A plan's total file storage per organization: an upload that would take an organization's
-- live files past it is refused (413 storage_quota_exceeded). NULL is unlimited, so custom
-- tiers keep their behaviour until an admin sets one.
ALTER TABLE "tier" ADD COLUMN "max_storage_bytes" BIGINT;
COMMENT ON COLUMN "tier"."max_storage_bytes" IS 'total bytes of an organization''s live files; NULL = unlimited';

-- The seeded plans get the quotas that seeding gives a new installation (reference-data.ts):
-- the column is new, so no admin's choice is overwritten.
UPDATE "tier" SET "max_storage_bytes" = 104857600 WHERE "id" = 'tier_free';
UPDATE "tier" SET "max_storage_bytes" = 21474836480 WHERE "id" = 'tier_pro';
