-- AlterTable
ALTER TABLE "deletion_request" ADD COLUMN     "claimed_at" TIMESTAMP(3);


-- a request a worker holds now keeps its claim; started_at stays the first start from here on
UPDATE "deletion_request" SET "claimed_at" = "started_at" WHERE "status" = 'PROCESSING';
