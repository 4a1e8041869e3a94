-- CreateTable
CREATE TABLE "erased_subject" (
    "subject_digest" TEXT NOT NULL,
    "subject_type" "deletion_subject_type" NOT NULL,
    "erased_at" TIMESTAMP(3) NOT NULL,
    "cache_purge_broadcast_at" TIMESTAMP(3),

    CONSTRAINT "erased_subject_pkey" PRIMARY KEY ("subject_digest")
);

