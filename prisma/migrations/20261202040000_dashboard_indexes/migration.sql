-- The officers' dashboard at a million cases: each list reads the cases at one status in the
-- order it shows them, and the count reads the index alone; a case's latest review date comes
-- from the index too.

-- CreateIndex
CREATE INDEX "case_status_acknowledgement_due_on_received_at_id_idx" ON "case"("status", "acknowledgement_due_on", "received_at", "id");

-- CreateIndex
CREATE INDEX "case_status_next_deadline_on_received_at_id_idx" ON "case"("status", "next_deadline_on", "received_at", "id");

-- CreateIndex
CREATE INDEX "review_case_id_created_at_scheduled_for_idx" ON "review"("case_id", "created_at", "scheduled_for");
