import { expect, test } from "./fixtures";
import { admin, newClient, signInViaApi, signInWithForm, signOut, signUp, uniqueEmail } from "./helpers";

test("a new student signs up, signs out and signs back in", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  const user = { email: uniqueEmail(), name: "Grace Student", password: "a long enough password" };
  await signUp(page, user);
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Learn" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" })).toHaveCount(0);

  await signOut(page);
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fdashboard/);

  await signInWithForm(page, user.email.toUpperCase(), user.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("heading", { name: "Welcome, Grace Student" })).toBeVisible();
  await context.close();
});

test("sign-up shows each problem next to its field and keeps what was typed", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  await page.goto("/signup");
  const form = page.getByRole("form", { name: "Create account" });
  await form.getByLabel("Email").fill("not-an-email");
  await form.getByLabel("Password").fill("short");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByText("Enter a valid email address.")).toBeVisible();
  await expect(form.getByText("Enter a display name.")).toBeVisible();
  await expect(form.getByText("Use at least 12 characters.")).toBeVisible();
  await expect(form.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  await expect(form.getByLabel("Email")).toHaveValue("not-an-email");

  const taken = { email: uniqueEmail(), name: "First", password: "a long enough password" };
  await signUp(page, taken);
  await signOut(page);
  await page.goto("/signup");
  await form.getByLabel("Email").fill(taken.email);
  await form.getByLabel("Display name").fill("Second");
  await form.getByLabel("Password").fill("another long password");
  await form.getByRole("button", { name: "Create account" }).click();
  await expect(form.getByText("An account with this email already exists. Sign in instead.")).toBeVisible();
  await context.close();
});

test("a wrong password and an unknown email get the same message", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  const user = { email: uniqueEmail(), name: "Hopper", password: "a long enough password" };
  await signUp(page, user);
  await signOut(page);

  await signInWithForm(page, user.email, "wrong password!!");
  const form = page.getByRole("form", { name: "Sign in" });
  await expect(form.getByRole("alert")).toHaveText("Invalid email or password");
  await signInWithForm(page, uniqueEmail("nobody"), "wrong password!!");
  await expect(form.getByRole("alert")).toHaveText("Invalid email or password");
  await expect(page).toHaveURL(/\/signin/);
  await context.close();
});

test("repeated wrong passwords are rate-limited with a retry time", async ({ browser }) => {
  // Up to 15 sign-ins through the form, each a page load and an argon2id check: more than the
  // default 30 s on a busy 2-core machine.
  test.setTimeout(90_000);
  const context = await newClient(browser);
  const page = await context.newPage();
  const user = { email: uniqueEmail(), name: "Target", password: "a long enough password" };
  await signUp(page, user);
  await signOut(page);
  const form = page.getByRole("form", { name: "Sign in" });
  for (let attempt = 1; attempt <= 5; attempt++) {
    await signInWithForm(page, user.email, `wrong password ${attempt}`);
    await expect(form.getByRole("alert")).toHaveText("Invalid email or password");
  }
  // Past 5 failures the account admits one attempt per doubling window (1 s, 2 s, 4 s, …):
  // quick further guesses soon hit a window and are told how long to wait.
  let message = "";
  for (let attempt = 6; attempt <= 15 && !message.startsWith("Too many"); attempt++) {
    await signInWithForm(page, user.email, `wrong password ${attempt}`);
    await expect(form.getByRole("alert")).toHaveText(/^(Invalid email or password|Too many attempts, try again in \d+ seconds\.)$/);
    message = (await form.getByRole("alert").textContent()) ?? "";
  }
  expect(message).toMatch(/^Too many attempts, try again in \d+ seconds\.$/);
  await context.close();
});

test("the sign-in form works by keyboard alone", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  const user = { email: uniqueEmail(), name: "Keys", password: "a long enough password" };
  await signUp(page, user);
  await signOut(page);
  await page.goto("/signin");
  await page.getByRole("form", { name: "Sign in" }).getByLabel("Email").focus();
  await page.keyboard.type(user.email);
  await page.keyboard.press("Tab");
  await page.keyboard.type(user.password);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/dashboard$/);
  await context.close();
});

test("a student is refused on every admin page and route; anonymous visitors are sent to sign in", async ({ browser }) => {
  const context = await newClient(browser);
  const page = await context.newPage();
  const anonymousPage = await page.request.get("/admin/users", { maxRedirects: 0 });
  expect(anonymousPage.status()).toBe(307);
  expect(anonymousPage.headers().location).toContain("/signin?callbackUrl=%2Fadmin%2Fusers");
  expect((await page.request.get("/api/admin/users")).status()).toBe(401);
  expect((await page.request.patch("/api/admin/users/x/role", { data: { role: "ADMIN" } })).status()).toBe(401);

  const student = { email: uniqueEmail(), name: "Mallory", password: "a long enough password" };
  await signUp(page, student);
  const response = await page.goto("/admin/users");
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "403: not allowed" })).toBeVisible();
  expect((await page.goto("/instructor"))?.status()).toBe(403);

  const list = await page.request.get("/api/admin/users");
  expect(list.status()).toBe(403);
  expect(await list.json()).toEqual({ error: "You are not allowed to do this." });
  const me = (await (await page.request.get("/api/auth/session")).json()) as { userId: string };
  const promote = await page.request.patch(`/api/admin/users/${me.userId}/role`, { data: { role: "ADMIN" } });
  expect(promote.status()).toBe(403);
  await page.reload();
  await expect(page.getByRole("heading", { name: "403: not allowed" })).toBeVisible();
  await context.close();
});

test("an administrator finds a student and makes them an instructor", async ({ browser }) => {
  const studentContext = await newClient(browser);
  const studentPage = await studentContext.newPage();
  const student = { email: uniqueEmail("promoted"), name: "Future Instructor", password: "a long enough password" };
  await signUp(studentPage, student);
  expect((await studentPage.goto("/instructor"))?.status()).toBe(403);

  const adminContext = await newClient(browser);
  const adminPage = await adminContext.newPage();
  await signInWithForm(adminPage, admin.email, admin.password);
  await expect(adminPage).toHaveURL(/\/dashboard$/);
  await adminPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
  await adminPage.getByLabel("Search by name or email").fill(student.email);
  await adminPage.getByRole("button", { name: "Search" }).click();
  await expect(adminPage.getByRole("cell", { name: student.email, exact: true })).toBeVisible();
  const row = adminPage.getByRole("form", { name: `Role of ${student.email}` });
  await row.getByLabel(`Role of ${student.email}`).selectOption("INSTRUCTOR");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toHaveText("Saved");

  const instructorHome = await studentPage.goto("/instructor");
  expect(instructorHome?.status()).toBe(200);
  await expect(studentPage.getByRole("heading", { level: 1, name: "Cohorts" })).toBeVisible();

  const api = await adminPage.request.get(`/api/admin/users?q=${encodeURIComponent(student.email)}`);
  const body = (await api.json()) as { users: { email: string; role: string }[] };
  expect(body.users).toEqual([expect.objectContaining({ email: student.email, role: "INSTRUCTOR" })]);
  expect(JSON.stringify(body)).not.toContain("passwordHash");
  await adminContext.close();
  await studentContext.close();
});

test("health, home page at phone width, and signing in through the API", async ({ browser }) => {
  const context = await newClient(browser, { viewport: { width: 375, height: 740 } });
  const page = await context.newPage();
  const health = await page.request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok", db: "ok" });
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Understand why Kubernetes says");
  await page.getByRole("button", { name: "Menu" }).click();
  await expect(page.getByRole("navigation", { name: "Main (mobile)" }).getByRole("link", { name: "Sign up" })).toBeVisible();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(375);
  await signInViaApi(page, admin.email, admin.password);
  await page.goto("/dashboard");
  await expect(page.getByRole("heading", { name: "Welcome, Administrator" })).toBeVisible();
  await context.close();
});
