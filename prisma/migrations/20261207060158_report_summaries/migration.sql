-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_CohortMember" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cohortId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "role" TEXT NOT NULL DEFAULT 'STUDENT',
    "joinedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "statsAt" DATETIME,
    "activityAt" DATETIME,
    "questionsAnswered" INTEGER NOT NULL DEFAULT 0,
    "gradedAnswered" INTEGER NOT NULL DEFAULT 0,
    "firstScoreSum" REAL NOT NULL DEFAULT 0,
    "bestScoreSum" REAL NOT NULL DEFAULT 0,
    "latestScoreSum" REAL NOT NULL DEFAULT 0,
    "selfRatedAnswered" INTEGER NOT NULL DEFAULT 0,
    "selfRatedSum" REAL NOT NULL DEFAULT 0,
    "lessonsCompleted" INTEGER NOT NULL DEFAULT 0,
    "lessonSeconds" INTEGER NOT NULL DEFAULT 0,
    "completionDays" TEXT NOT NULL DEFAULT '[]',
    "scenariosPassed" INTEGER NOT NULL DEFAULT 0,
    "hintsUsed" INTEGER NOT NULL DEFAULT 0,
    "scenarioSeconds" INTEGER NOT NULL DEFAULT 0,
    "firstAnswers" TEXT NOT NULL DEFAULT '[]',
    "firstChecks" TEXT NOT NULL DEFAULT '[]',
    CONSTRAINT "CohortMember_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "CohortMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_CohortMember" ("cohortId", "id", "joinedAt", "role", "userId") SELECT "cohortId", "id", "joinedAt", "role", "userId" FROM "CohortMember";
DROP TABLE "CohortMember";
ALTER TABLE "new_CohortMember" RENAME TO "CohortMember";
CREATE INDEX "CohortMember_userId_role_idx" ON "CohortMember"("userId", "role");
CREATE INDEX "CohortMember_cohortId_role_userId_idx" ON "CohortMember"("cohortId", "role", "userId");
CREATE INDEX "CohortMember_cohortId_statsAt_idx" ON "CohortMember"("cohortId", "statsAt");
CREATE UNIQUE INDEX "CohortMember_cohortId_userId_key" ON "CohortMember"("cohortId", "userId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
