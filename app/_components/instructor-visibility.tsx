import { ONLY_AFTER_JOINING, WHAT_INSTRUCTORS_SEE } from "@/lib/cohorts/cohorts";

/** Exactly what a cohort's instructors will see, shown where a student decides to join. */
export function InstructorVisibility() {
  return (
    <div className="text-sm text-slate-700">
      <p className="font-medium text-slate-800">If you join, its instructors will see:</p>
      <ul className="mt-1 list-disc pl-5">
        {WHAT_INSTRUCTORS_SEE.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <p className="mt-2">{ONLY_AFTER_JOINING} You can be in several cohorts.</p>
    </div>
  );
}
