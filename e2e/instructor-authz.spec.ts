import type { Browser, Page } from "@playwright/test";
import { expect, test } from "./fixtures";
import { admin, newClient, signInViaApi, signUp, uniqueEmail } from "./helpers";

// Who may see which instructor page and route: anonymous, a student of the cohort, a student of
// another cohort, the cohort's instructor, an instructor of another cohort, an administrator.
test.describe.configure({ mode: "serial" });

async function person(browser: Browser, name: string): Promise<{ page: Page; email: string; password: string; id: string }> {
  const page = await (await newClient(browser)).newPage();
  const user = { email: uniqueEmail(name.toLowerCase()), name, password: `pw-${name}-correct-horse` };
  await signUp(page, user);
  const session = (await (await page.request.get("/api/auth/session")).json()) as { userId?: string };
  return { page, email: user.email, password: user.password, id: session.userId ?? "" };
}

async function createCohort(page: Page, name: string): Promise<{ id: string; code: string }> {
  await page.goto("/instructor");
  const form = page.getByRole("form", { name: "Create a cohort" });
  await form.getByLabel("Name").fill(name);
  await form.getByRole("button", { name: "Create cohort" }).click();
  await expect(page).toHaveURL(/\/instructor\/cohorts\/[^/]+\/members$/);
  const id = new URL(page.url()).pathname.split("/")[3] ?? "";
  const link = await page.getByLabel("Join link").inputValue();
  return { id, code: link.split("/join/")[1] ?? "" };
}

test("instructor pages and routes answer each role with the right status", async ({ browser }) => {
  test.setTimeout(180_000);
  const adminPage = await (await newClient(browser)).newPage();
  await signInViaApi(adminPage, admin.email, admin.password);

  const [instructor, otherInstructor, student, otherStudent] = [
    await person(browser, "Iris"),
    await person(browser, "Otto"),
    await person(browser, "Sam"),
    await person(browser, "Tess"),
  ];
  for (const teacher of [instructor, otherInstructor]) {
    const response = await adminPage.request.patch(`/api/admin/users/${teacher.id}/role`, { data: { role: "INSTRUCTOR" } });
    expect(response.ok()).toBe(true);
  }

  const cohort = await createCohort(instructor.page, "Authz cohort");
  const other = await createCohort(otherInstructor.page, "Other cohort");

  // Joining: signed out, the link leads through sign-in and back; signed in, one click.
  const anonymous = await (await newClient(browser)).newPage();
  await anonymous.goto(`/join/${cohort.code}`);
  await expect(anonymous).toHaveURL(/\/signin\?callbackUrl=%2Fjoin%2F/);
  await student.page.goto(`/join/${cohort.code}`);
  await student.page.getByRole("button", { name: "Join Authz cohort" }).click();
  await expect(student.page.getByText("You joined Authz cohort.")).toBeVisible();
  await otherStudent.page.goto(`/join/${other.code}`);
  await otherStudent.page.getByRole("button", { name: "Join Other cohort" }).click();
  await expect(otherStudent.page.getByText("You joined Other cohort.")).toBeVisible();

  const base = `/instructor/cohorts/${cohort.id}`;
  const cohortPages = [base, `${base}/items`, `${base}/members`, `${base}/students/${student.id}`];
  const routes = ["gradebook", "attempts", "scenarios"].map((name) => `/api/instructor/cohorts/${cohort.id}/export/${name}.csv`);

  const status = async (page: Page, url: string) => (await page.request.get(url, { maxRedirects: 0 })).status();
  const expectAll = async (page: Page, urls: string[], expected: number, who: string) => {
    for (const url of urls) expect(await status(page, url), `${who} ${url}`).toBe(expected);
  };

  // Anonymous: pages redirect to sign-in, routes 401.
  await expectAll(anonymous, ["/instructor", ...cohortPages], 307, "anonymous");
  await expectAll(anonymous, routes, 401, "anonymous");
  // Students (of this cohort or another): outside the instructor area, 403.
  for (const [who, page] of [
    ["student", student.page],
    ["other student", otherStudent.page],
  ] as const) {
    await expectAll(page, ["/instructor", ...cohortPages], 403, who);
    await expectAll(page, routes, 403, who);
  }
  // Instructor of another cohort: the area yes, this cohort no (404, not 403).
  await expectAll(otherInstructor.page, ["/instructor"], 200, "other instructor");
  await expectAll(otherInstructor.page, [...cohortPages, ...routes], 404, "other instructor");
  // The cohort's instructor and an administrator: everything.
  for (const [who, page] of [
    ["instructor", instructor.page],
    ["admin", adminPage],
  ] as const) {
    await expectAll(page, ["/instructor", ...cohortPages, ...routes], 200, who);
    await expectAll(page, ["/instructor/cohorts/no-such-cohort", `/api/instructor/cohorts/no-such-cohort/export/gradebook.csv`], 404, who);
    await expectAll(page, [`${base}/students/${otherStudent.id}`], 404, `${who} (student of another cohort)`);
  }

  const csv = await instructor.page.request.get(routes[0] ?? "");
  expect(csv.headers()["content-type"]).toBe("text/csv; charset=utf-8");
  expect(csv.headers()["content-disposition"]).toContain('attachment; filename="authz-cohort-gradebook.csv"');
  const body = (await csv.text()).replace(/^\uFEFF/, "");
  expect(body.split("\r\n")[0]).toMatch(/^name,email,status,/);
  expect(body).toContain(student.email);
  expect(body).not.toContain(otherStudent.email);

  // The overview lists the student; the drill-down opens from it.
  await instructor.page.goto(base);
  await expect(instructor.page.getByRole("heading", { name: "Authz cohort" })).toBeVisible();
  await instructor.page.getByRole("link", { name: "Sam" }).click();
  await expect(instructor.page.getByRole("heading", { name: "Sam" })).toBeVisible();
});
