-- CreateEnum
CREATE TYPE "ScenarioStatus" AS ENUM ('IN_PROGRESS', 'PASSED', 'GAVE_UP');

-- CreateTable
CREATE TABLE "ScenarioInstance" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 0,
    "whyEnabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScenarioInstance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioAttempt" (
    "id" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "isFirst" BOOLEAN NOT NULL,
    "status" "ScenarioStatus" NOT NULL DEFAULT 'IN_PROGRESS',
    "score" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "hintsUsed" INTEGER NOT NULL DEFAULT 0,
    "commandCount" INTEGER NOT NULL DEFAULT 0,
    "timeSpentSeconds" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActiveAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "completedAt" TIMESTAMP(3),

    CONSTRAINT "ScenarioAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioEvent" (
    "id" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "exitCode" INTEGER,
    "requestId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScenarioEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScenarioCheckResult" (
    "id" TEXT NOT NULL,
    "attemptId" TEXT NOT NULL,
    "scenarioId" TEXT NOT NULL,
    "checkId" TEXT NOT NULL,
    "passed" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ScenarioCheckResult_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ScenarioInstance_userId_scenarioId_key" ON "ScenarioInstance"("userId", "scenarioId");

-- CreateIndex
CREATE INDEX "ScenarioAttempt_scenarioId_isFirst_idx" ON "ScenarioAttempt"("scenarioId", "isFirst");

-- CreateIndex
CREATE INDEX "ScenarioAttempt_userId_lastActiveAt_idx" ON "ScenarioAttempt"("userId", "lastActiveAt");

-- CreateIndex
CREATE UNIQUE INDEX "ScenarioAttempt_userId_scenarioId_number_key" ON "ScenarioAttempt"("userId", "scenarioId", "number");

-- CreateIndex
CREATE INDEX "ScenarioEvent_attemptId_createdAt_idx" ON "ScenarioEvent"("attemptId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ScenarioEvent_attemptId_requestId_key" ON "ScenarioEvent"("attemptId", "requestId");

-- CreateIndex
CREATE INDEX "ScenarioCheckResult_scenarioId_checkId_idx" ON "ScenarioCheckResult"("scenarioId", "checkId");

-- CreateIndex
CREATE UNIQUE INDEX "ScenarioCheckResult_attemptId_checkId_key" ON "ScenarioCheckResult"("attemptId", "checkId");

-- AddForeignKey
ALTER TABLE "ScenarioInstance" ADD CONSTRAINT "ScenarioInstance_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioAttempt" ADD CONSTRAINT "ScenarioAttempt_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioEvent" ADD CONSTRAINT "ScenarioEvent_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ScenarioAttempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScenarioCheckResult" ADD CONSTRAINT "ScenarioCheckResult_attemptId_fkey" FOREIGN KEY ("attemptId") REFERENCES "ScenarioAttempt"("id") ON DELETE CASCADE ON UPDATE CASCADE;
