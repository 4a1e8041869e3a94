-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "deletion_status" ADD VALUE 'NEEDS_ATTENTION';
ALTER TYPE "deletion_status" ADD VALUE 'ON_HOLD';

-- AlterTable
ALTER TABLE "deletion_request" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "hold_overridden_at" TIMESTAMP(3),
ADD COLUMN     "hold_overridden_by" TEXT,
ADD COLUMN     "hold_reason" TEXT,
ADD COLUMN     "last_error" TEXT,
ADD COLUMN     "next_attempt_at" TIMESTAMP(3),
ADD COLUMN     "progress" JSONB;

