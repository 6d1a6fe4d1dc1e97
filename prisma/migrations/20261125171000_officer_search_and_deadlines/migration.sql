-- Officers' search by name (trigram), case list sorting by deadline, single-use TOTP codes.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- AlterTable
ALTER TABLE "case" ADD COLUMN "next_deadline_on" DATE;

-- AlterTable
ALTER TABLE "person" ADD COLUMN "search_name" TEXT NOT NULL DEFAULT '';

-- AlterTable
ALTER TABLE "officer" ADD COLUMN "totp_last_step" INTEGER;

-- Backfill
UPDATE "person" SET "search_name" = lower(concat_ws(' ', "name", "organisation_name"));
UPDATE "case" SET "next_deadline_on" = "acknowledgement_due_on" WHERE "status" = 'received';

-- DropIndex
DROP INDEX "case_status_idx";

-- DropIndex
DROP INDEX "case_received_at_idx";

-- CreateIndex
CREATE INDEX "case_status_received_at_idx" ON "case"("status", "received_at");

-- CreateIndex
CREATE INDEX "case_received_at_id_idx" ON "case"("received_at", "id");

-- CreateIndex
CREATE INDEX "case_next_deadline_on_id_idx" ON "case"("next_deadline_on", "id");

-- CreateIndex
CREATE INDEX "person_search_name_idx" ON "person" USING GIN ("search_name" gin_trgm_ops);
