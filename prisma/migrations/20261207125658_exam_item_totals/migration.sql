-- No schema change: the item totals gain the exam items (lib/summaries/exam-totals.ts). Every
-- summary is computed again once (lib/summaries fills a null statsAt before a report reads its
-- cohort), which builds the totals, the exam sittings' included, from the rows: the upgrade
-- needs no manual step.
DELETE FROM "CohortItemTotal";
UPDATE "CohortMember" SET "statsAt" = NULL;
