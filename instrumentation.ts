// Next runs `register` once when the server starts (scripts/server.ts: during app.prepare(), before
// it listens). The exam catalog is read here, not by the first exam request: a cohort starting an
// exam together would otherwise queue behind that one read.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { warmExams } = await import("./lib/exams/service");
  try {
    warmExams();
  } catch (error) {
    // Invalid content: the server still starts, and the exam pages report it as before.
    console.error("The exam catalog could not be read at start:", error);
  }
}
