-- The dashboard's "reviews coming up" reads the meeting time from the case itself, in index order,
-- instead of looking up the latest review of every case waiting for its meeting.

-- AlterTable
ALTER TABLE "case" ADD COLUMN "next_review_at" TIMESTAMPTZ(3);

-- The latest scheduled review of every case that has one.
UPDATE "case" c
   SET "next_review_at" = latest."scheduled_for"
  FROM (SELECT DISTINCT ON ("case_id") "case_id", "scheduled_for" FROM "review" ORDER BY "case_id", "created_at" DESC, "id" DESC) latest
 WHERE latest."case_id" = c."id";

-- CreateIndex
CREATE INDEX "case_status_next_review_at_id_idx" ON "case"("status", "next_review_at", "id");
