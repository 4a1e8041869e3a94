-- Account erasure for people who belong to no organization (admins, compliance officers):
-- their requests have no organization.
-- The report becomes `json`, which keeps the text exactly as the worker hashed it, while `jsonb`
-- reordered its keys, so its SHA-256 could not be checked against what was stored. Reports
-- written before this keep jsonb's rendering (their digests could never be re-derived).

-- AlterTable
ALTER TABLE "deletion_request" ALTER COLUMN "organization_id" DROP NOT NULL,
ALTER COLUMN "report" SET DATA TYPE JSON;
