-- CreateEnum
CREATE TYPE "member_role" AS ENUM ('OWNER', 'DEVELOPER', 'VIEWER');

-- CreateEnum
CREATE TYPE "account_token_purpose" AS ENUM ('EMAIL_VERIFICATION', 'PASSWORD_RESET', 'INVITATION');

-- CreateTable
CREATE TABLE "membership" (
    "organization_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "role" "member_role" NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "membership_pkey" PRIMARY KEY ("organization_id","user_id")
);

-- CreateTable
CREATE TABLE "account_token" (
    "id" TEXT NOT NULL,
    "purpose" "account_token_purpose" NOT NULL,
    "token_hash" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "user_id" TEXT,
    "organization_id" TEXT,
    "member_role" "member_role",
    "created_by_id" TEXT,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "used_at" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_token_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "membership_user_id_idx" ON "membership"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "account_token_token_hash_key" ON "account_token"("token_hash");

-- CreateIndex
CREATE INDEX "account_token_email_purpose_idx" ON "account_token"("email", "purpose");

-- CreateIndex
CREATE INDEX "account_token_organization_id_purpose_idx" ON "account_token"("organization_id", "purpose");

-- CreateIndex
CREATE INDEX "account_token_user_id_idx" ON "account_token"("user_id");

-- CreateIndex
CREATE INDEX "account_token_expires_at_idx" ON "account_token"("expires_at");

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "membership" ADD CONSTRAINT "membership_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_token" ADD CONSTRAINT "account_token_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "account_token" ADD CONSTRAINT "account_token_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Every developer so far belonged to exactly one organization: that becomes their membership,
-- with the developer role they had. Owners are named later, by an admin or by a transfer.
INSERT INTO "membership" ("organization_id", "user_id", "role", "created_at")
SELECT "organization_id", "id", 'DEVELOPER', "created_at"
FROM "user"
WHERE "role" = 'DEVELOPER' AND "organization_id" IS NOT NULL;

-- People added before sign-up existed were vouched for by the admin who added them: their
-- addresses count as verified, so nobody loses the right to create keys.
UPDATE "user" SET "email_verified" = "created_at" WHERE "email_verified" IS NULL;
