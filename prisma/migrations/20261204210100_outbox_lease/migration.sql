-- The outbox worker's claim on a message now carries its own lease: the worker renews it while it
-- holds the message, and another worker takes the message once the lease has run out (instead of
-- five minutes after the claim, whatever the claiming worker was doing).

-- AlterTable
ALTER TABLE "outbox_message" ADD COLUMN "lease_until" TIMESTAMPTZ(3);

-- Messages claimed before this migration keep the lease they were claimed under (five minutes).
UPDATE "outbox_message" SET "lease_until" = "locked_at" + interval '5 minutes' WHERE "status" = 'sending' AND "locked_at" IS NOT NULL;
