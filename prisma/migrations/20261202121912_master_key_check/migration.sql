-- CreateTable
CREATE TABLE "master_key_check" (
    "version" INTEGER NOT NULL,
    "check_value" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "master_key_check_pkey" PRIMARY KEY ("version")
);

