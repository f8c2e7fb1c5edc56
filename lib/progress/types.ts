/** What the progress API returns: plain JSON, shared by route handlers and client components. */
import type { GradingFeedback } from "../quiz/public";
import type { PendingRating } from "../quiz/pending";

export type LessonStatus = "not-started" | "in-progress" | "completed";

export interface LessonSummary {
  moduleId: string;
  slug: string;
  title: string;
  href: string;
  status: LessonStatus;
  questionCount: number;
  answeredCount: number;
  /** Mean FIRST-attempt score (0..1) over the answered auto-graded questions; null before any. */
  averageFirstScore: number | null;
  /** Practice: mean best score over the same questions. */
  averageBestScore: number | null;
  /** Open questions answered; self-rated, so in neither score. */
  selfRatedCount: number;
  timeSpentSeconds: number;
  lastVisitedAt: string | null;
  completedAt: string | null;
}

export interface ModuleSummary {
  id: string;
  title: string;
  lessons: LessonSummary[];
  completedLessons: number;
  /** 0..100 */
  percent: number;
}

export interface ContinueTarget {
  lesson: LessonSummary;
  /** "continue": the last visited, unfinished lesson; "next": the one after finished ones; "start": nothing visited yet. */
  reason: "continue" | "next" | "start";
}

export interface CourseProgress {
  modules: ModuleSummary[];
  completedLessons: number;
  totalLessons: number;
  percent: number;
  questionsAnswered: number;
  totalQuestions: number;
  continueWith: ContinueTarget | null;
}

export type ScenarioProgressStatus = "not-started" | "in-progress" | "passed" | "gave-up";

export interface ScenarioSummary {
  id: string;
  title: string;
  href: string;
  difficulty: "easy" | "medium" | "hard";
  estimatedMinutes: number;
  /** The scenario file's `order`. */
  order: number;
  /** Slugs of the lessons it builds on. */
  lessons: string[];
  status: ScenarioProgressStatus;
  /** 0..1: the best passed attempt once passed, else the current attempt; null before starting. */
  score: number | null;
  attempts: number;
  /** Active time over all attempts (gaps between commands are capped by the scenario service). */
  timeSpentSeconds: number;
  hintsUsed: number;
  lastActiveAt: string | null;
  passedAt: string | null;
}

/** A place in the course: a lesson or a scenario. */
export interface CourseStep {
  kind: "lesson" | "scenario";
  title: string;
  href: string;
}

export interface NextSteps {
  /** The most recently active unfinished lesson or scenario, when there is one. */
  continueWith: (CourseStep & { reason: "continue" }) | null;
  /** What to do next: practice for the weakest topic, else the first unfinished item in course order. */
  recommended: (CourseStep & { reason: "weak-topic" | "course-order" | "start"; topic?: string }) | null;
}

export interface WeakTopic {
  tag: string;
  /** The topic in words (`content/topics.yaml`); the tag itself when the catalogue has no entry. */
  title: string;
  /** The lesson that teaches the topic. */
  lesson: { title: string; href: string } | null;
  /** Scenarios that practise it, with this learner's status. */
  scenarios: { title: string; href: string; status: ScenarioProgressStatus }[];
  /** Mean best score (0..1) of the answered questions with this tag. */
  averageBestScore: number;
  answered: number;
  /** Lessons where this learner missed questions on the topic. */
  lessons: { title: string; href: string }[];
}

export interface QuestionState {
  attempts: number;
  firstScore: number | null;
  bestScore: number;
  lastScore: number;
  lastAnsweredAt: string;
  /** Feedback on the latest attempt: the learner has answered, so it may be shown again. */
  lastFeedback: GradingFeedback;
  /** Open questions: the latest written answer is stored but not rated yet; the model answer to rate it against. */
  pendingRating?: PendingRating;
}

export interface LessonState {
  visited: boolean;
  completedAt: string | null;
  completedBy: string | null;
  timeSpentSeconds: number;
  questions: Record<string, QuestionState>;
  /** Per choice question of the lesson, its public option ids in the order this learner sees them. */
  optionOrder: Record<string, string[]>;
}
