-- Rate-limit counters shared by every app instance (officer sign-in, resume links, submissions),
-- and an index for the retention job's search for cases closed before its cut-off.

-- CreateTable
CREATE TABLE "rate_limit" (
    "key" TEXT NOT NULL,
    "points" INTEGER NOT NULL,
    "expire" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limit_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "rate_limit_expire_idx" ON "rate_limit"("expire");

-- CreateIndex
CREATE INDEX "case_closed_at_idx" ON "case"("closed_at");
