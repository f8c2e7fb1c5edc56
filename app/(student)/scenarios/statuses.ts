export { listScenarioStatuses, type ScenarioStatus, type ScenarioStatusName } from "@/lib/scenarios/progress";
