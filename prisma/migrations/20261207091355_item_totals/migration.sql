-- CreateTable
CREATE TABLE "CohortItemTotal" (
    "cohortId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "item" TEXT NOT NULL,
    "detail" TEXT NOT NULL DEFAULT '',
    "n" INTEGER NOT NULL,
    "nCorrect" INTEGER NOT NULL,
    "sx" BIGINT NOT NULL,
    "sy" BIGINT NOT NULL,
    "sxx" BIGINT NOT NULL,
    "syy" BIGINT NOT NULL,
    "sxy" BIGINT NOT NULL,

    PRIMARY KEY ("cohortId", "kind", "item", "detail"),
    CONSTRAINT "CohortItemTotal_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Every summary is computed again once (lib/summaries fills a null statsAt before a report reads
-- its cohort), which builds the item totals from the summaries: the upgrade needs no manual step.
UPDATE "CohortMember" SET "statsAt" = NULL;
