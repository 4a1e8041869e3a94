-- AlterTable
ALTER TABLE "model" ADD COLUMN     "retired_at" TIMESTAMP(3);


-- models already retiring were announced no later than now: the date their Deprecation header gives
UPDATE "model" SET "retired_at" = now() WHERE "shutdown_at" IS NOT NULL;
