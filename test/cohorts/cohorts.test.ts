import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import type { PublicUser } from "@/lib/accounts/users";
import { publicUserSelect } from "@/lib/accounts/users";
import { requireCohort } from "@/lib/cohorts/access";
import {
  addInstructorByEmail,
  cohortMembers,
  inviteStudentByEmail,
  pendingInvitations,
  respondToInvitation,
  createCohort,
  joinCohort,
  listCohorts,
  listInstructors,
  removeMember,
} from "@/lib/cohorts/cohorts";
import { recomputeSummaries } from "@/lib/summaries/student-summary";
import { cohortOverview, studentSummaries } from "@/lib/cohorts/overview";
import { itemAnalysis } from "@/lib/cohorts/items";
import { studentDetail } from "@/lib/cohorts/student";
import { attemptsCsv, gradebookCsv, neutralizeFormula } from "@/lib/cohorts/export";
import { scenariosCsv } from "@/lib/cohorts/scenario-export";
import { loadScenarios } from "@/lib/scenarios/catalog";
import { overviewQuerySchema } from "@/lib/cohorts/schemas";
import { correlation } from "@/lib/cohorts/stats";
import { seedDemo } from "@/lib/cohorts/demo";
import { getQuestion, loadCourse } from "@/lib/content/load";

const query = overviewQuerySchema.parse({});

async function text(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

describe("correlation (discrimination index)", () => {
  it("is 1 for a perfectly discriminating item, −1 for a reversed one, null when undefined", () => {
    const sums = (pairs: [number, number][]) => ({
      n: pairs.length,
      sx: pairs.reduce((s, [x]) => s + x, 0),
      sy: pairs.reduce((s, [, y]) => s + y, 0),
      sxx: pairs.reduce((s, [x]) => s + x * x, 0),
      syy: pairs.reduce((s, [, y]) => s + y * y, 0),
      sxy: pairs.reduce((s, [x, y]) => s + x * y, 0),
    });
    expect(
      correlation(
        sums([
          [0, 1],
          [0, 1],
          [1, 5],
          [1, 5],
        ]),
      ),
    ).toBeCloseTo(1);
    expect(
      correlation(
        sums([
          [1, 1],
          [1, 2],
          [0, 5],
          [0, 6],
        ]),
      ),
    ).toBeLessThan(-0.9);
    expect(
      correlation(
        sums([
          [1, 1],
          [1, 2],
          [1, 5],
        ]),
      ),
    ).toBeNull();
    expect(
      correlation(
        sums([
          [1, 1],
          [0, 2],
        ]),
      ),
    ).toBeNull();
  });
  it("neutralizes spreadsheet formulas", () => {
    expect(["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", "a=b"].map(neutralizeFormula)).toEqual([
      "'=1+1",
      "'+1",
      "'-2",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      "plain",
      "a=b",
    ]);
    // Leading white space does not hide a formula: spreadsheets trim it before parsing.
    expect([' =HYPERLINK("http://evil")', "  +1", "\u00a0@SUM(A1)", "\n-2", " \t=1", " plain", "x =1"].map(neutralizeFormula)).toEqual([
      '\' =HYPERLINK("http://evil")',
      "'  +1",
      "'\u00a0@SUM(A1)",
      "'\n-2",
      "' \t=1",
      " plain",
      "x =1",
    ]);
  });
});

describe.each(providers)("cohorts on %s", (provider) => {
  let database: TestDatabase;
  const users: Record<"instructor" | "otherInstructor" | "admin" | "student" | "otherStudent" | "outsider", PublicUser> = {} as never;
  let cohortId = "";
  let otherCohortId = "";

  async function user(key: keyof typeof users, role: PublicUser["role"], name: string = key): Promise<void> {
    users[key] = await database.db.user.create({
      data: { email: `${key.toLowerCase()}-${provider}-${crypto.randomBytes(3).toString("hex")}@example.com`, name, role },
      select: publicUserSelect,
    });
  }

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    await user("instructor", "INSTRUCTOR");
    await user("otherInstructor", "INSTRUCTOR");
    await user("admin", "ADMIN");
    await user("student", "STUDENT", '=HYPERLINK("http://evil")');
    await user("otherStudent", "STUDENT");
    await user("outsider", "STUDENT");
    cohortId = (await createCohort(database.db, users.instructor, { name: "Spring", description: "", startsAt: null, endsAt: null })).id;
    otherCohortId = (
      await createCohort(database.db, users.otherInstructor, { name: "Other", description: "", startsAt: null, endsAt: null })
    ).id;
    for (const [teacher, cohort, learner] of [
      [users.instructor, cohortId, users.student],
      [users.otherInstructor, otherCohortId, users.otherStudent],
    ] as const) {
      await inviteStudentByEmail(database.db, teacher, cohort, learner.email);
      const [invitation] = await pendingInvitations(database.db, learner);
      await respondToInvitation(database.db, learner, invitation?.id ?? "", true);
    }
  });
  afterAll(async () => {
    await database.drop();
  });

  it("lists cohorts by the one access rule: own as instructor, all as admin, none as student", async () => {
    expect((await listCohorts(database.db, users.instructor)).map((c) => c.id)).toEqual([cohortId]);
    expect((await listCohorts(database.db, users.otherInstructor)).map((c) => c.id)).toEqual([otherCohortId]);
    expect((await listCohorts(database.db, users.admin)).map((c) => c.id).sort()).toEqual([cohortId, otherCohortId].sort());
    expect(await listCohorts(database.db, users.student)).toEqual([]);
    const [mine] = await listCohorts(database.db, users.instructor);
    expect(mine).toMatchObject({ students: 1, instructors: 1 });
  });

  it("answers 404 from every page-data function and export to everyone but the cohort's instructors and admins", async () => {
    const loaders: [string, (actor: PublicUser) => Promise<unknown>][] = [
      ["requireCohort", (actor) => requireCohort(database.db, actor, cohortId)],
      ["overview", (actor) => cohortOverview(database.db, actor, cohortId, query, { fresh: true })],
      ["items", (actor) => itemAnalysis(database.db, actor, cohortId, { fresh: true })],
      ["student", (actor) => studentDetail(database.db, actor, cohortId, users.student.id)],
      ["instructors", (actor) => listInstructors(database.db, actor, cohortId)],
      ["members", (actor) => cohortMembers(database.db, actor, cohortId)],
      ["gradebook", (actor) => gradebookCsv(database.db, actor, cohortId).then((r) => text(r.stream))],
      ["attempts", (actor) => attemptsCsv(database.db, actor, cohortId).then((r) => text(r.stream))],
      ["scenarios", (actor) => scenariosCsv(database.db, actor, cohortId).then((r) => text(r.stream))],
    ];
    for (const [name, load] of loaders) {
      for (const actor of [users.student, users.otherStudent, users.outsider, users.otherInstructor]) {
        await expect(load(actor), `${name} as ${actor.name}`).rejects.toMatchObject({ status: 404 });
      }
      for (const actor of [users.instructor, users.admin]) await expect(load(actor), `${name} as ${actor.name}`).resolves.toBeDefined();
    }
    await expect(requireCohort(database.db, users.admin, "no-such-cohort")).rejects.toMatchObject({ status: 404 });
    // A student of another cohort is not a student of this one.
    await expect(studentDetail(database.db, users.instructor, cohortId, users.otherStudent.id)).rejects.toMatchObject({ status: 404 });
    await expect(studentDetail(database.db, users.instructor, cohortId, users.instructor.id)).rejects.toMatchObject({ status: 404 });
  });

  it("joins with a code, in several cohorts, and adds co-instructors only with the instructor role", async () => {
    const other = await database.db.cohort.findUniqueOrThrow({ where: { id: otherCohortId } });
    await expect(joinCohort(database.db, users.student, other.joinCode)).resolves.toMatchObject({ result: "added" });
    await expect(joinCohort(database.db, users.student, other.joinCode)).resolves.toMatchObject({ result: "already" });
    await expect(joinCohort(database.db, users.student, "not-a-code")).rejects.toMatchObject({ status: 404 });
    expect(await database.db.cohortMember.count({ where: { userId: users.student.id, role: "STUDENT" } })).toBe(2);
    // A student's account and no account at all get the same answer: no probing who studies here.
    const refusal = { status: 422, message: expect.stringMatching(/^No instructor account uses this email\./) };
    await expect(addInstructorByEmail(database.db, users.instructor, cohortId, users.outsider.email)).rejects.toMatchObject(refusal);
    await expect(addInstructorByEmail(database.db, users.instructor, cohortId, "nobody-at-all@example.com")).rejects.toMatchObject(refusal);
    await expect(addInstructorByEmail(database.db, users.otherInstructor, cohortId, users.otherInstructor.email)).rejects.toMatchObject({
      status: 404,
    });
    await addInstructorByEmail(database.db, users.instructor, cohortId, users.otherInstructor.email);
    await expect(requireCohort(database.db, users.otherInstructor, cohortId)).resolves.toMatchObject({ id: cohortId });
    await removeMember(database.db, users.instructor, cohortId, users.otherInstructor.id);
    await expect(requireCohort(database.db, users.otherInstructor, cohortId)).rejects.toMatchObject({ status: 404 });
    await expect(removeMember(database.db, users.instructor, cohortId, users.instructor.id)).rejects.toMatchObject({ status: 409 });
    await removeMember(database.db, users.otherInstructor, otherCohortId, users.student.id);
  });

  it("aggregates one student's figures: FIRST-attempt knowledge score, practice best and latest apart, self-rated apart, lessons, scenarios, time and hints", async () => {
    const course = loadCourse();
    const lesson = course.modules[0]?.lessons[0];
    const questionId = lesson?.questionIds[0];
    if (!lesson || !questionId) throw new Error("content changed");
    const base = {
      userId: users.student.id,
      questionId,
      moduleId: lesson.moduleId,
      lessonSlug: lesson.slug,
      response: { optionIds: ["a"] },
    };
    // After the student joined: instructors see only work done since joining.
    const start = Date.now();
    const at = (minute: number) => new Date(start + minute * 60_000);
    // Wrong, then right (the key was shown after the first answer), then wrong again.
    await database.db.questionAttempt.createMany({
      data: [
        { ...base, submissionId: "s1", score: 0, correct: false, isFirst: true, firstQuestionId: questionId, createdAt: at(1) },
        { ...base, submissionId: "s2", score: 1, correct: true, isFirst: false, createdAt: at(2) },
        { ...base, submissionId: "s3", score: 0.5, correct: false, isFirst: false, createdAt: at(3) },
      ],
    });
    const open = [...course.questions.values()].find((q) => q.type === "open");
    if (!open) throw new Error("content changed");
    const openBase = { userId: users.student.id, questionId: open.id, moduleId: lesson.moduleId, lessonSlug: lesson.slug };
    await database.db.questionAttempt.create({
      data: {
        ...openBase,
        submissionId: "o1",
        response: { text: "mine", selfRating: "got-it" },
        selfRating: "got-it",
        score: 1,
        correct: true,
        isFirst: true,
        firstQuestionId: open.id,
        createdAt: at(4),
      },
    });
    await database.db.lessonProgress.create({
      data: {
        userId: users.student.id,
        moduleId: lesson.moduleId,
        lessonSlug: lesson.slug,
        timeSpentSeconds: 300,
        completedAt: new Date(),
      },
    });
    const scenarioAttempt = await database.db.scenarioAttempt.create({
      data: {
        userId: users.student.id,
        scenarioId: "whoami",
        number: 1,
        isFirst: true,
        status: "PASSED",
        score: 1,
        hintsUsed: 2,
        commandCount: 1,
        timeSpentSeconds: 120,
        startedAt: at(5),
      },
    });
    const heredoc = "cat <<EOF > note.txt\n=cmd|' /C calc'!A0\nEOF";
    await database.db.scenarioEvent.createMany({
      data: [
        // One hint from before hints were per step (flat order: step 1's first), one asked for on step 3.
        { attemptId: scenarioAttempt.id, kind: "hint", detail: "step 1, hint 1", createdAt: at(6) },
        { attemptId: scenarioAttempt.id, kind: "command", detail: heredoc, exitCode: 0, createdAt: at(7) },
        { attemptId: scenarioAttempt.id, kind: "hint", hintStep: 2, requestId: "hint:2:0", detail: "step 3, hint 1", createdAt: at(8) },
      ],
    });
    const whoami = loadScenarios().get("whoami");
    const [passedCheck, ...otherChecks] = whoami?.checks ?? [];
    if (!passedCheck) throw new Error("content changed");
    await database.db.scenarioCheckResult.create({
      data: { attemptId: scenarioAttempt.id, scenarioId: "whoami", checkId: passedCheck.id, passed: true },
    });
    // Rows written straight to the tables: recompute the summaries as the app's writers do.
    await recomputeSummaries(database.db, users.student.id);
    const [row] = await studentSummaries(database.db, cohortId);
    const graded = [...course.questions.values()].filter((q) => q.type !== "open").length;
    expect(row).toMatchObject({
      userId: users.student.id,
      questionsAnswered: 2,
      lessonsCompleted: 1,
      scenariosPassed: 1,
      hintsUsed: 2,
      timeSpentSeconds: 420,
      status: "active",
    });
    // Answering twice does not make 100%: the knowledge score is the first attempt's 0.
    expect(row).toMatchObject({ quizScore: 0, answeredScore: 0, selfRatedAnswered: 1, selfRatedScore: 1 });
    expect(row?.practiceBestScore).toBeCloseTo(1 / graded);
    expect(row?.practiceLatestScore).toBeCloseTo(0.5 / graded);
    const gradebook = await text((await gradebookCsv(database.db, users.instructor, cohortId)).stream);
    const lines = gradebook
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^name,email,status/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/evil""\)"/);
    const header = lines[0]?.split(",") ?? [];
    const cells = lines[1]?.split(",") ?? [];
    const cell = (prefix: string) => cells[header.findIndex((name) => name.replace(/^"/, "").startsWith(prefix))];
    expect(cell("knowledge score %")).toBe("0.0");
    expect(cell("first-attempt accuracy")).toBe("0.0");
    expect(cell("practice: best score %")).toBe((Math.round(1000 / graded) / 10).toFixed(1));
    expect(cell("self-rated answered")).toBe("1");
    expect(cell("self-rating mean %")).toBe("100.0");
    expect(cell("scenario whoami: best score %")).toBe("100.0");
    expect(header.filter((name) => name.startsWith("scenario ") && name.endsWith("best score %"))).toHaveLength(loadScenarios().size);
    const attempts = await text((await attemptsCsv(database.db, users.instructor, cohortId)).stream);
    const attemptLines = attempts.trim().split("\r\n");
    // Four quiz answers and the scenario attempt, in time order.
    expect(attemptLines).toHaveLength(6);
    expect(attemptLines[5]).toContain(`,scenario,whoami,,first,"passed; checks 1/${1 + otherChecks.length}: ${passedCheck.id} passed`);
    const scenarios = await text((await scenariosCsv(database.db, users.instructor, cohortId)).stream);
    const records = scenarios
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    // Header, the attempt, one row per check of the scenario, the two hints and the command.
    expect(records).toHaveLength(1 + 1 + 1 + otherChecks.length + 3);
    expect(records[0]).toMatch(/^email,name,scenario,scenario title,attempt,/);
    expect(scenarios).toContain(`,check,${passedCheck.id},yes,`);
    for (const check of otherChecks) expect(scenarios).toContain(`,check,${check.id},no,`);
    expect(scenarios).toContain(',hint,,,"step 1, hint 1",,');
    // The heredoc keeps its lines, inside one quoted cell; its "=" line cannot start a formula cell.
    expect(scenarios).toContain(`,command,,,"cat <<EOF > note.txt\n=cmd|' /C calc'!A0\nEOF",0,`);
    expect(attempts).toContain(",self-rated,got-it,");
    const question = getQuestion(questionId);
    const optionA = question && "options" in question ? question.options.find((o) => o.id === "a")?.text : undefined;
    if (optionA) expect(attempts).toContain(optionA.slice(0, 20));
    const detail = await studentDetail(database.db, users.admin, cohortId, users.student.id);
    expect(detail.questionAttempts.map((a) => a.isFirst)).toEqual([true, false, false, true]);
    expect(detail.scenarioAttempts[0]).toMatchObject({ scenarioId: "whoami", hintsUsed: 2, hintsByStep: [1, 0, 1] });
  });

  it("sorts, filters and pages the overview, and matches item statistics computed by hand", async () => {
    const seeded = await seedDemo(database.db, database.config, { students: 60, withPasswords: false, seed: 7 });
    const admin = users.admin;
    const page1 = await cohortOverview(database.db, admin, seeded.cohortId, overviewQuerySchema.parse({ sort: "quizScore", dir: "desc" }), {
      fresh: true,
    });
    expect(page1.studentCount).toBe(60);
    expect(page1.rows).toHaveLength(25);
    const scores = page1.rows.map((r) => r.quizScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    const page3 = await cohortOverview(database.db, admin, seeded.cohortId, overviewQuerySchema.parse({ page: "3" }));
    expect(page3.rows).toHaveLength(10);
    expect(page1.histogram.reduce((s, b) => s + b.count, 0)).toBe(60);
    const needle = page1.rows[0]?.email ?? "";
    const filtered = await cohortOverview(database.db, admin, seeded.cohortId, overviewQuerySchema.parse({ q: needle }));
    expect(filtered.rows.map((r) => r.email)).toEqual([needle]);
    const notStarted = await cohortOverview(database.db, admin, seeded.cohortId, overviewQuerySchema.parse({ status: "not-started" }));
    expect(notStarted.rows.every((r) => r.status === "not-started")).toBe(true);

    const analysis = await itemAnalysis(database.db, admin, seeded.cohortId, { fresh: true });
    const firsts = await database.db.questionAttempt.findMany({
      where: { isFirst: true, user: { cohortMemberships: { some: { cohortId: seeded.cohortId } } } },
      select: { userId: true, questionId: true, score: true },
    });
    // The "test" total is the knowledge score: self-rated open answers stay out of it.
    const selfRated = new Set([...loadCourse().questions.values()].filter((q) => q.type === "open").map((q) => q.id));
    const knowledge = (a: { questionId: string; score: number }) => (selfRated.has(a.questionId) ? 0 : a.score);
    const totals = new Map<string, number>();
    for (const a of firsts) totals.set(a.userId, (totals.get(a.userId) ?? 0) + knowledge(a));
    const check = (item: { questionId: string; attempts: number; facility: number | null; discrimination: number | null } | undefined) => {
      if (!item) throw new Error("no item with enough attempts");
      const pairs = firsts
        .filter((a) => a.questionId === item.questionId)
        .map((a) => [a.score, (totals.get(a.userId) ?? 0) - knowledge(a)] as const);
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const mx = mean(pairs.map(([x]) => x));
      const my = mean(pairs.map(([, y]) => y));
      const cov = mean(pairs.map(([x, y]) => (x - mx) * (y - my)));
      const sd = (xs: number[], m: number) => Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
      expect(item.attempts).toBe(pairs.length);
      expect(item.facility).toBeCloseTo(mx, 6);
      expect(item.discrimination).toBeCloseTo(
        cov /
          (sd(
            pairs.map(([x]) => x),
            mx,
          ) *
            sd(
              pairs.map(([, y]) => y),
              my,
            )),
        6,
      );
    };
    check(analysis.questions.find((q) => q.type !== "open" && q.attempts >= 10 && q.discrimination !== null));
    check(analysis.questions.find((q) => q.type === "open" && q.attempts >= 10 && q.discrimination !== null));
    const choice = analysis.questions.find((q) => q.type === "single" && q.attempts > 0);
    expect(choice?.options.reduce((s, o) => s + o.count, 0)).toBe(choice?.attempts);
    expect(analysis.checks.some((c) => c.attempts > 0 && c.facility !== null)).toBe(true);
    // The miskeyed demo question: strong students miss it more often.
    expect(analysis.questions.some((q) => q.flags.includes("negative"))).toBe(true);
  });
});
