-- Officers' actions on a case: the decision override, the victim's comments on the action plan,
-- the outcome summary, what an agency is asked, recommendations done, and the appeal's details.

-- AlterTable
ALTER TABLE "case" ADD COLUMN     "action_plan_comments" TEXT,
ADD COLUMN     "action_plan_comments_at" TIMESTAMPTZ(3),
ADD COLUMN     "decision_override_reason" TEXT,
ADD COLUMN     "outcome_summary" TEXT;

-- AlterTable
ALTER TABLE "information_request" ADD COLUMN     "asked" TEXT;

-- AlterTable
ALTER TABLE "recommendation" ADD COLUMN     "done_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "appeal" ADD COLUMN     "appellant" TEXT,
ADD COLUMN     "sent_back" BOOLEAN;
