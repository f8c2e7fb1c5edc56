-- CreateTable
CREATE TABLE "QuestionAttempt" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "submissionId" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "score" REAL NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "isFirst" BOOLEAN NOT NULL,
    "firstQuestionId" TEXT,
    "selfRating" TEXT,
    "durationMs" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "QuestionAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LessonProgress" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "firstVisitedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastVisitedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastHeartbeatAt" DATETIME,
    "timeSpentSeconds" INTEGER NOT NULL DEFAULT 0,
    "completedAt" DATETIME,
    "completedBy" TEXT,
    CONSTRAINT "LessonProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "QuestionAttempt_userId_moduleId_lessonSlug_idx" ON "QuestionAttempt"("userId", "moduleId", "lessonSlug");

-- CreateIndex
CREATE INDEX "QuestionAttempt_userId_questionId_createdAt_idx" ON "QuestionAttempt"("userId", "questionId", "createdAt");

-- CreateIndex
CREATE INDEX "QuestionAttempt_questionId_isFirst_idx" ON "QuestionAttempt"("questionId", "isFirst");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionAttempt_userId_submissionId_key" ON "QuestionAttempt"("userId", "submissionId");

-- CreateIndex
CREATE UNIQUE INDEX "QuestionAttempt_userId_firstQuestionId_key" ON "QuestionAttempt"("userId", "firstQuestionId");

-- CreateIndex
CREATE INDEX "LessonProgress_userId_lastVisitedAt_idx" ON "LessonProgress"("userId", "lastVisitedAt");

-- CreateIndex
CREATE UNIQUE INDEX "LessonProgress_userId_moduleId_lessonSlug_key" ON "LessonProgress"("userId", "moduleId", "lessonSlug");
