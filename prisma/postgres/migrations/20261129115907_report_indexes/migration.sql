-- DropIndex
DROP INDEX "QuestionAttempt_userId_questionId_createdAt_idx";

-- DropIndex
DROP INDEX "CohortMember_cohortId_role_idx";

-- CreateIndex
CREATE INDEX "QuestionAttempt_userId_questionId_createdAt_score_idx" ON "QuestionAttempt"("userId", "questionId", "createdAt", "score");

-- CreateIndex
CREATE INDEX "QuestionAttempt_userId_isFirst_score_idx" ON "QuestionAttempt"("userId", "isFirst", "score");

-- CreateIndex
CREATE INDEX "QuestionAttempt_isFirst_questionId_correct_userId_score_idx" ON "QuestionAttempt"("isFirst", "questionId", "correct", "userId", "score");

-- CreateIndex
CREATE INDEX "ScenarioAttempt_userId_isFirst_id_idx" ON "ScenarioAttempt"("userId", "isFirst", "id");

-- CreateIndex
CREATE INDEX "ScenarioCheckResult_attemptId_scenarioId_checkId_passed_idx" ON "ScenarioCheckResult"("attemptId", "scenarioId", "checkId", "passed");

-- CreateIndex
CREATE INDEX "CohortMember_cohortId_role_userId_idx" ON "CohortMember"("cohortId", "role", "userId");
