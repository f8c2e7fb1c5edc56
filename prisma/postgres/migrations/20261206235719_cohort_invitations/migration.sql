-- CreateTable
CREATE TABLE "CohortInvitation" (
    "id" TEXT NOT NULL,
    "cohortId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "declinedAt" TIMESTAMP(3),

    CONSTRAINT "CohortInvitation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CohortInvitation_email_expiresAt_idx" ON "CohortInvitation"("email", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "CohortInvitation_cohortId_email_key" ON "CohortInvitation"("cohortId", "email");

-- AddForeignKey
ALTER TABLE "CohortInvitation" ADD CONSTRAINT "CohortInvitation_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort"("id") ON DELETE CASCADE ON UPDATE CASCADE;
