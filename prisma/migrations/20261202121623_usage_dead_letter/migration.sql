-- CreateTable
CREATE TABLE "usage_dead_letter" (
    "id" BIGSERIAL NOT NULL,
    "organization_id" TEXT,
    "record" JSONB NOT NULL,
    "error" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_dead_letter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "usage_dead_letter_created_at_idx" ON "usage_dead_letter"("created_at");
