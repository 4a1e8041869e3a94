-- CreateEnum
CREATE TYPE "signing_key_algorithm" AS ENUM ('EdDSA', 'ES256');

-- AlterTable
ALTER TABLE "oauth_client" ADD COLUMN     "expires_at" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "signing_key" (
    "id" TEXT NOT NULL,
    "algorithm" "signing_key_algorithm" NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_key_ciphertext" BYTEA NOT NULL,
    "not_before" TIMESTAMP(3) NOT NULL,
    "retire_after" TIMESTAMP(3),
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signing_key_pkey" PRIMARY KEY ("id")
);

