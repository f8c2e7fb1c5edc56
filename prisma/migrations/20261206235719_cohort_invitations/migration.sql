-- CreateTable
CREATE TABLE "CohortInvitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cohortId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "declinedAt" DATETIME,
    CONSTRAINT "CohortInvitation_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "CohortInvitation_email_expiresAt_idx" ON "CohortInvitation"("email", "expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "CohortInvitation_cohortId_email_key" ON "CohortInvitation"("cohortId", "email");
