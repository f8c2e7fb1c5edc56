-- AlterTable
ALTER TABLE "ScenarioEvent" ADD COLUMN     "hintStep" INTEGER;
