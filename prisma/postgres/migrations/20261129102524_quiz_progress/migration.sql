-- CreateTable
CREATE TABLE "QuestionAttempt" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "questionId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "submissionId" TEXT NOT NULL,
    "response" JSONB NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "correct" BOOLEAN NOT NULL,
    "isFirst" BOOLEAN NOT NULL,
    "firstQuestionId" TEXT,
    "selfRating" TEXT,
    "durationMs" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "QuestionAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LessonProgress" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "moduleId" TEXT NOT NULL,
    "lessonSlug" TEXT NOT NULL,
    "firstVisitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastVisitedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastHeartbeatAt" TIMESTAMP(3),
    "timeSpentSeconds" INTEGER NOT NULL DEFAULT 0,
    "completedAt" TIMESTAMP(3),
    "completedBy" TEXT,

    CONSTRAINT "LessonProgress_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "QuestionAttempt" ADD CONSTRAINT "QuestionAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LessonProgress" ADD CONSTRAINT "LessonProgress_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
