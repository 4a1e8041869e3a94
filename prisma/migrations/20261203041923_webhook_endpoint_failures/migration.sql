-- AlterTable
ALTER TABLE "webhook_endpoint" ADD COLUMN     "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "disabled_reason" TEXT;

-- CreateIndex
CREATE INDEX "webhook_delivery_completed_at_idx" ON "webhook_delivery"("completed_at");

