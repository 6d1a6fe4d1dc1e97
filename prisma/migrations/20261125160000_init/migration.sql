-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('received', 'acknowledged', 'threshold_met', 'threshold_not_met', 'rejected', 'review_scheduled', 'review_held', 'outcome_sent', 'appeal_received', 'appeal_concluded', 'closed', 'withdrawn');

-- CreateEnum
CREATE TYPE "Channel" AS ENUM ('online', 'paper', 'phone', 'email');

-- CreateEnum
CREATE TYPE "PersonRole" AS ENUM ('victim', 'applicant');

-- CreateEnum
CREATE TYPE "OfficerRole" AS ENUM ('officer', 'manager', 'administrator');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'failed');

-- CreateTable
CREATE TABLE "case" (
    "id" UUID NOT NULL,
    "reference" TEXT NOT NULL,
    "status" "CaseStatus" NOT NULL DEFAULT 'received',
    "channel" "Channel" NOT NULL DEFAULT 'online',
    "submission_key" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "acknowledgement_due_on" DATE NOT NULL,
    "acknowledged_at" TIMESTAMPTZ(3),
    "applying_on_behalf" BOOLEAN NOT NULL,
    "victim_type" TEXT NOT NULL,
    "incidents_related" TEXT NOT NULL,
    "households_reporting" INTEGER,
    "impact" TEXT NOT NULL,
    "vulnerability" TEXT,
    "hate_motivated" TEXT NOT NULL,
    "hate_types" TEXT[],
    "action_so_far" TEXT NOT NULL,
    "hoped_outcome" TEXT NOT NULL,
    "threshold_advice" JSONB NOT NULL,
    "threshold_met" BOOLEAN NOT NULL,
    "decision" TEXT,
    "decision_reason" TEXT,
    "rejection_ground" TEXT,
    "decided_at" TIMESTAMPTZ(3),
    "spoc_officer_id" UUID,
    "outcome_sent_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "closure_reason" TEXT,
    "anonymised_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "role" "PersonRole" NOT NULL,
    "name" TEXT NOT NULL,
    "organisation_name" TEXT,
    "address_line_1" TEXT,
    "address_line_2" TEXT,
    "town" TEXT,
    "postcode" TEXT,
    "date_of_birth" DATE,
    "phone" TEXT,
    "email" TEXT,
    "preferred_contact" TEXT,
    "safe_times" TEXT,
    "needs" TEXT,
    "relationship" TEXT,
    "organisation" TEXT,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consent" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "declared" BOOLEAN NOT NULL DEFAULT false,
    "how_to_confirm" TEXT,
    "upload_id" UUID,
    "confirmed_at" TIMESTAMPTZ(3),

    CONSTRAINT "consent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "upload" (
    "id" UUID NOT NULL,
    "draft_id" UUID,
    "case_id" UUID,
    "file_name" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "upload_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "incident" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "occurred_on" DATE NOT NULL,
    "occurred_on_approximate" BOOLEAN NOT NULL DEFAULT false,
    "description" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "reported_to" TEXT[],
    "reported_to_other" TEXT,
    "reported_on" DATE,
    "reference" TEXT,

    CONSTRAINT "incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "status_change" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "from_status" "CaseStatus",
    "to_status" "CaseStatus" NOT NULL,
    "reason" TEXT,
    "officer_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "status_change_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "note" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "officer_id" UUID,
    "text" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" UUID NOT NULL,
    "case_id" UUID,
    "officer_id" UUID,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "detail" JSONB,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" UUID NOT NULL,
    "case_id" UUID,
    "kind" TEXT NOT NULL,
    "to" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "html" TEXT NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_at" TIMESTAMPTZ(3),
    "locked_by" TEXT,
    "last_error" TEXT,
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "session" (
    "sid" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "session_pkey" PRIMARY KEY ("sid")
);

-- CreateTable
CREATE TABLE "draft" (
    "id" UUID NOT NULL,
    "answers" JSONB NOT NULL,
    "resume_token_hash" TEXT,
    "resume_expires_at" TIMESTAMPTZ(3),
    "submitted_case_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "draft_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "officer" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "OfficerRole" NOT NULL DEFAULT 'officer',
    "totp_secret" TEXT,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "failed_sign_ins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "last_sign_in_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "officer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "setting" (
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_by" TEXT,

    CONSTRAINT "setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "information_request" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "agency" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "due_on" DATE NOT NULL,
    "replied_at" TIMESTAMPTZ(3),
    "reply" TEXT,

    CONSTRAINT "information_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "review" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "scheduled_for" TIMESTAMPTZ(3) NOT NULL,
    "agencies_invited" TEXT[],
    "independent_chair" TEXT,
    "victim_attendance" TEXT NOT NULL,
    "not_invited_reason" TEXT,
    "agency_contributions" JSONB,
    "held_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "review_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "recommendation" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "action" TEXT NOT NULL,
    "agency" TEXT NOT NULL,
    "due_on" DATE NOT NULL,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "victim_comments" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "recommendation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "appeal" (
    "id" UUID NOT NULL,
    "case_id" UUID NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "about" TEXT NOT NULL,
    "result" TEXT,
    "upheld" BOOLEAN,
    "concluded_at" TIMESTAMPTZ(3),

    CONSTRAINT "appeal_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "historic_figures" (
    "financial_year" TEXT NOT NULL,
    "applications_received" INTEGER NOT NULL,
    "threshold_not_met" INTEGER NOT NULL,
    "reviews_carried_out" INTEGER NOT NULL,
    "reviews_with_recommendations" INTEGER NOT NULL,
    "appeals_received" INTEGER NOT NULL,
    "appeals_upheld" INTEGER,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "historic_figures_pkey" PRIMARY KEY ("financial_year")
);

-- CreateIndex
CREATE UNIQUE INDEX "case_reference_key" ON "case"("reference");

-- CreateIndex
CREATE UNIQUE INDEX "case_submission_key_key" ON "case"("submission_key");

-- CreateIndex
CREATE INDEX "case_status_idx" ON "case"("status");

-- CreateIndex
CREATE INDEX "case_received_at_idx" ON "case"("received_at");

-- CreateIndex
CREATE INDEX "case_acknowledgement_due_on_idx" ON "case"("acknowledgement_due_on");

-- CreateIndex
CREATE INDEX "case_spoc_officer_id_idx" ON "case"("spoc_officer_id");

-- CreateIndex
CREATE INDEX "person_postcode_idx" ON "person"("postcode");

-- CreateIndex
CREATE INDEX "person_email_idx" ON "person"("email");

-- CreateIndex
CREATE UNIQUE INDEX "person_case_id_role_key" ON "person"("case_id", "role");

-- CreateIndex
CREATE UNIQUE INDEX "consent_case_id_key" ON "consent"("case_id");

-- CreateIndex
CREATE UNIQUE INDEX "consent_upload_id_key" ON "consent"("upload_id");

-- CreateIndex
CREATE INDEX "upload_draft_id_idx" ON "upload"("draft_id");

-- CreateIndex
CREATE INDEX "upload_case_id_idx" ON "upload"("case_id");

-- CreateIndex
CREATE INDEX "incident_case_id_idx" ON "incident"("case_id");

-- CreateIndex
CREATE INDEX "status_change_case_id_idx" ON "status_change"("case_id");

-- CreateIndex
CREATE INDEX "status_change_officer_id_idx" ON "status_change"("officer_id");

-- CreateIndex
CREATE INDEX "note_case_id_idx" ON "note"("case_id");

-- CreateIndex
CREATE INDEX "note_officer_id_idx" ON "note"("officer_id");

-- CreateIndex
CREATE INDEX "audit_entry_case_id_idx" ON "audit_entry"("case_id");

-- CreateIndex
CREATE INDEX "audit_entry_officer_id_at_idx" ON "audit_entry"("officer_id", "at");

-- CreateIndex
CREATE INDEX "outbox_message_status_next_attempt_at_idx" ON "outbox_message"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbox_message_case_id_idx" ON "outbox_message"("case_id");

-- CreateIndex
CREATE INDEX "session_expires_at_idx" ON "session"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "draft_resume_token_hash_key" ON "draft"("resume_token_hash");

-- CreateIndex
CREATE INDEX "draft_updated_at_idx" ON "draft"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "officer_email_key" ON "officer"("email");

-- CreateIndex
CREATE INDEX "information_request_case_id_idx" ON "information_request"("case_id");

-- CreateIndex
CREATE INDEX "information_request_due_on_idx" ON "information_request"("due_on");

-- CreateIndex
CREATE INDEX "review_case_id_idx" ON "review"("case_id");

-- CreateIndex
CREATE INDEX "review_scheduled_for_idx" ON "review"("scheduled_for");

-- CreateIndex
CREATE INDEX "recommendation_case_id_idx" ON "recommendation"("case_id");

-- CreateIndex
CREATE INDEX "appeal_case_id_idx" ON "appeal"("case_id");

-- CreateIndex
CREATE INDEX "appeal_received_at_idx" ON "appeal"("received_at");

-- AddForeignKey
ALTER TABLE "case" ADD CONSTRAINT "case_spoc_officer_id_fkey" FOREIGN KEY ("spoc_officer_id") REFERENCES "officer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person" ADD CONSTRAINT "person_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent" ADD CONSTRAINT "consent_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "consent" ADD CONSTRAINT "consent_upload_id_fkey" FOREIGN KEY ("upload_id") REFERENCES "upload"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "upload" ADD CONSTRAINT "upload_draft_id_fkey" FOREIGN KEY ("draft_id") REFERENCES "draft"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "upload" ADD CONSTRAINT "upload_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "incident" ADD CONSTRAINT "incident_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_change" ADD CONSTRAINT "status_change_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "status_change" ADD CONSTRAINT "status_change_officer_id_fkey" FOREIGN KEY ("officer_id") REFERENCES "officer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note" ADD CONSTRAINT "note_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "note" ADD CONSTRAINT "note_officer_id_fkey" FOREIGN KEY ("officer_id") REFERENCES "officer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_officer_id_fkey" FOREIGN KEY ("officer_id") REFERENCES "officer"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox_message" ADD CONSTRAINT "outbox_message_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "information_request" ADD CONSTRAINT "information_request_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "review" ADD CONSTRAINT "review_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "recommendation" ADD CONSTRAINT "recommendation_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "appeal" ADD CONSTRAINT "appeal_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE CASCADE;
