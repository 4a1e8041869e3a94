-- "Sign out everywhere" raises it; every session carries a credential version derived from it.
ALTER TABLE "user" ADD COLUMN "session_epoch" INTEGER NOT NULL DEFAULT 0;
COMMENT ON COLUMN "user"."session_epoch" IS 'raised by sign out everywhere; then every session ends';
