-- Hand-written by the "auth" helper (wave 2); the lead regenerates the numbered migration.
-- Session versions (sign-out and account changes end every session), deactivation, and the
-- one-time set-password link (hash + expiry) on users.
ALTER TABLE "users" ADD COLUMN "session_version" integer DEFAULT 1 NOT NULL;
ALTER TABLE "users" ADD COLUMN "deactivated_at" timestamp with time zone;
ALTER TABLE "users" ADD COLUMN "password_link_hash" text;
ALTER TABLE "users" ADD COLUMN "password_link_expires_at" timestamp with time zone;
CREATE UNIQUE INDEX "users_password_link_hash_key" ON "users" USING btree ("password_link_hash");
