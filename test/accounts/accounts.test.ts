import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, providers, type TestDatabase } from "../helpers/database";
import {
  changePassword,
  changeRole,
  createUser,
  EmailTakenError,
  endAllSessions,
  ensureInitialAdmin,
  forgetInitialAdminPassword,
  resetPassword,
  LastAdminError,
  listUsers,
  PAGE_SIZE,
  WrongPasswordError,
} from "@/lib/accounts/users";
import { signInWithPassword, signInWithSso, INVALID_CREDENTIALS } from "@/lib/auth/sign-in";
import { RateLimitedError } from "@/lib/auth/rate-limit";

describe.each(providers)("accounts on %s", (provider) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await database.drop();
  });

  it("stores an argon2id hash, never the password, and never returns the hash", async () => {
    const user = await createUser(database.db, { email: "ana@example.com", name: "Ana", password: "correct horse battery" });
    expect(user).not.toHaveProperty("passwordHash");
    expect(user.role).toBe("STUDENT");
    const row = await database.db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await expect(createUser(database.db, { email: "ana@example.com", name: "Again", password: "another password" })).rejects.toBeInstanceOf(
      EmailTakenError,
    );
  });

  it("signs in with the right password and gives one message for a wrong password and an unknown email", async () => {
    await createUser(database.db, { email: `ben-${provider}@example.com`, name: "Ben", password: "right password 1" });
    const user = await signInWithPassword(database.db, `ben-${provider}@example.com`, "right password 1", `10.0.0.1-${provider}`);
    expect(user.email).toBe(`ben-${provider}@example.com`);
    expect(user).not.toHaveProperty("passwordHash");
    await expect(signInWithPassword(database.db, `ben-${provider}@example.com`, "wrong", `10.0.0.2-${provider}`)).rejects.toThrowError(
      INVALID_CREDENTIALS,
    );
    await expect(signInWithPassword(database.db, "nobody@example.com", "wrong", `10.0.0.3-${provider}`)).rejects.toThrowError(
      INVALID_CREDENTIALS,
    );
  });

  it("slows an account down after 5 wrong passwords, even for the right one, and says when to retry", async () => {
    await createUser(database.db, { email: `cat-${provider}@example.com`, name: "Cat", password: "right password 2" });
    for (let attempt = 0; attempt < 6; attempt++) {
      await expect(
        signInWithPassword(database.db, `cat-${provider}@example.com`, "nope", `10.1.${attempt}.1-${provider}`),
      ).rejects.toThrowError(INVALID_CREDENTIALS);
    }
    const paused = signInWithPassword(database.db, `cat-${provider}@example.com`, "right password 2", `10.2.0.1-${provider}`);
    await expect(paused).rejects.toBeInstanceOf(RateLimitedError);
    await expect(paused).rejects.toThrowError("Too many attempts, try again in 1 seconds.");
    // The owner waits a second, not a quarter of an hour.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await expect(
      signInWithPassword(database.db, `cat-${provider}@example.com`, "right password 2", `10.2.0.2-${provider}`),
    ).resolves.toMatchObject({ name: "Cat" });
  });

  it("limits sign-in attempts per address across accounts", async () => {
    const ip = `10.9.9.9-${provider}`;
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 31; attempt++) {
      outcomes.push(
        await signInWithPassword(database.db, `user${attempt}@example.com`, "x", ip).then(
          () => "signed-in",
          (error: Error) => error.name,
        ),
      );
    }
    expect(outcomes.slice(0, 30).every((name) => name === "Error")).toBe(true);
    expect(outcomes[30]).toBe("RateLimitedError");
  });

  it("creates the first administrator from the environment once", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-admin-"));
    const fresh = await createTestDatabase(provider);
    try {
      const log: string[] = [];
      const configured = { email: "Root@Example.com", password: "a very long admin password" };
      expect(await ensureInitialAdmin(fresh.db, { dataDir: dir, configured, log: (line) => log.push(line) })).toBe("created-from-env");
      expect(await ensureInitialAdmin(fresh.db, { dataDir: dir, configured, log: (line) => log.push(line) })).toBe("exists");
      const admin = await fresh.db.user.findUniqueOrThrow({ where: { email: "root@example.com" } });
      expect(admin.role).toBe("ADMIN");
      expect(log.join("\n")).not.toContain(configured.password);
      expect(fs.existsSync(path.join(dir, "initial-admin-password"))).toBe(false);
    } finally {
      await fresh.drop();
    }
  });

  it("otherwise generates a one-time admin password into a 0600 file only (never the log) that must be changed", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-admin-"));
    const fresh = await createTestDatabase(provider);
    try {
      const log: string[] = [];
      expect(await ensureInitialAdmin(fresh.db, { dataDir: dir, log: (line) => log.push(line) })).toBe("created-generated");
      const file = path.join(dir, "initial-admin-password");
      // The password alone, so the file can be pasted; the log names the account.
      const lines = fs.readFileSync(file, "utf8").split("\n");
      expect(lines).toHaveLength(2);
      expect(lines[1]).toBe("");
      const password = lines[0];
      const email = "admin@kubeprep.local";
      expect(log.join("\n")).toContain(email);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(log.join("\n")).not.toContain(password);
      expect(log.join("\n")).toContain(file);
      const admin = await signInWithPassword(fresh.db, email ?? "", password ?? "", `10.3.0.1-${provider}`);
      expect(admin).toMatchObject({ role: "ADMIN" });
      expect(await fresh.db.user.findUniqueOrThrow({ where: { id: admin.id }, select: { mustChangePassword: true } })).toEqual({
        mustChangePassword: true,
      });
      expect(await ensureInitialAdmin(fresh.db, { dataDir: dir, log: (line) => log.push(line) })).toBe("exists");
      // Choosing a password clears the flag; the file goes once its account has its own password.
      await changePassword(fresh.db, admin.id, password ?? "", "the admin's own password");
      expect(await fresh.db.user.findUniqueOrThrow({ where: { id: admin.id }, select: { mustChangePassword: true } })).toEqual({
        mustChangePassword: false,
      });
      forgetInitialAdminPassword(dir, "someone-else@example.com");
      expect(fs.existsSync(file)).toBe(true);
      forgetInitialAdminPassword(dir, admin.email);
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      await fresh.drop();
    }
  });

  it("raises the session version on a password change, a reset, a demotion and 'sign out of all devices'", async () => {
    const user = await createUser(database.db, { email: `sv-${provider}@example.com`, name: "Sam", password: "first password 1" });
    const version = async () =>
      (await database.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { sessionVersion: true } })).sessionVersion;
    expect(await version()).toBe(0);
    expect(await changePassword(database.db, user.id, "first password 1", "second password 2")).toBe(1);
    expect(await endAllSessions(database.db, user.id)).toBe(2);
    await changeRole(database.db, user.id, "INSTRUCTOR");
    expect(await version()).toBe(2); // a promotion needs no new sign-in
    await changeRole(database.db, user.id, "STUDENT");
    expect(await version()).toBe(3); // a demotion ends the sessions
    const temporary = await resetPassword(database.db, user.id);
    expect(await version()).toBe(4);
    expect(temporary).toMatch(/^[A-Za-z0-9_-]{16}$/);
    await expect(signInWithPassword(database.db, user.email, "second password 2", `10.5.0.1-${provider}`)).rejects.toThrowError(
      INVALID_CREDENTIALS,
    );
    await signInWithPassword(database.db, user.email, temporary ?? "", `10.5.0.2-${provider}`);
    expect(await database.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { mustChangePassword: true } })).toEqual({
      mustChangePassword: true,
    });
    expect(await resetPassword(database.db, "no-such-user")).toBeUndefined();
  });

  it("lists users with search and paging, and protects the last administrator", async () => {
    for (let n = 0; n < PAGE_SIZE + 3; n++) {
      await database.db.user.create({ data: { email: `page${String(n).padStart(2, "0")}@school.example`, name: `Pupil ${n}` } });
    }
    const first = await listUsers(database.db, { q: "school.example", page: 1 });
    const second = await listUsers(database.db, { q: "SCHOOL.example", page: 2 });
    expect(first.total).toBe(PAGE_SIZE + 3);
    expect(first.users).toHaveLength(PAGE_SIZE);
    expect(second.users).toHaveLength(3);
    expect(first.pageCount).toBe(2);
    expect(first.users[0]).not.toHaveProperty("passwordHash");

    const admin = await createUser(database.db, { email: "only-admin@example.com", name: "Admin", password: null, role: "ADMIN" });
    const others = await database.db.user.findMany({ where: { role: "ADMIN", NOT: { id: admin.id } } });
    for (const other of others) await changeRole(database.db, other.id, "STUDENT");
    await expect(changeRole(database.db, admin.id, "STUDENT")).rejects.toBeInstanceOf(LastAdminError);
    const student = await createUser(database.db, { email: "promote@example.com", name: "P", password: null });
    expect(await changeRole(database.db, student.id, "INSTRUCTOR")).toMatchObject({ role: "INSTRUCTOR" });
    expect(await changeRole(database.db, "no-such-id", "ADMIN")).toBeUndefined();
  });

  it("keeps one administrator when two demote each other at the same time", async () => {
    // Real concurrency: two transactions on two connections (PostgreSQL) started together, many rounds.
    for (let round = 0; round < 12; round++) {
      await database.db.user.updateMany({ where: { role: "ADMIN" }, data: { role: "STUDENT" } });
      const [a, b] = await Promise.all(
        ["a", "b"].map((who) =>
          createUser(database.db, { email: `race-${who}-${round}-${provider}@example.com`, name: who, password: null, role: "ADMIN" }),
        ),
      );
      if (!a || !b) throw new Error("admins not created");
      const outcomes = await Promise.allSettled([changeRole(database.db, b.id, "STUDENT"), changeRole(database.db, a.id, "STUDENT")]);
      expect(
        outcomes.filter((o) => o.status === "fulfilled"),
        `round ${round}`,
      ).toHaveLength(1);
      const rejected = outcomes.find((o) => o.status === "rejected");
      expect(rejected?.status === "rejected" ? rejected.reason : undefined).toBeInstanceOf(LastAdminError);
      expect(await database.db.user.count({ where: { role: "ADMIN" } })).toBe(1);
    }
  });

  it("changes a password only with the current one", async () => {
    const user = await createUser(database.db, { email: `dan-${provider}@example.com`, name: "Dan", password: "old password 123" });
    await expect(changePassword(database.db, user.id, "wrong", "new password 456")).rejects.toBeInstanceOf(WrongPasswordError);
    await changePassword(database.db, user.id, "old password 123", "new password 456");
    await expect(
      signInWithPassword(database.db, `dan-${provider}@example.com`, "new password 456", `10.4.0.1-${provider}`),
    ).resolves.toMatchObject({ id: user.id });
  });

  it("links single sign-on identities by verified email only", async () => {
    expect(await signInWithSso(database.db, { provider: "oidc", subject: "s1", email: "eve@example.com", emailVerified: false })).toEqual({
      ok: false,
      reason: "no-email",
    });
    const created = await signInWithSso(database.db, {
      provider: "oidc",
      subject: "s1",
      email: "Eve@Example.com",
      emailVerified: true,
      name: "Eve",
    });
    expect(created).toMatchObject({ ok: true, user: { email: "eve@example.com", role: "STUDENT", name: "Eve" } });
    const again = await signInWithSso(database.db, { provider: "oidc", subject: "s1", emailVerified: false });
    expect(again.ok && created.ok && again.user.id === created.user.id).toBe(true);
    // A student who signed up with a password is linked by a verified email, as before.
    const student = await createUser(database.db, { email: `stu-sso-${provider}@example.com`, name: "Stu", password: "stu password 123" });
    expect(await signInWithSso(database.db, { provider: "oidc", subject: "stu", email: student.email, emailVerified: true })).toMatchObject(
      { ok: true, user: { id: student.id } },
    );
  });

  it("never links an instructor or administrator by email; they link from the Account page", async () => {
    for (const role of ["INSTRUCTOR", "ADMIN"] as const) {
      const owner = await createUser(database.db, {
        email: `${role.toLowerCase()}-sso-${provider}@example.com`,
        name: role,
        password: "privileged pass 1",
        role,
      });
      const subject = `sub-${role}`;
      expect(
        await signInWithSso(database.db, { provider: "oidc", subject, email: owner.email.toUpperCase(), emailVerified: true }),
      ).toEqual({ ok: false, reason: "privileged" });
      expect(await database.db.account.count({ where: { userId: owner.id } })).toBe(0);
      // Signed in with the password and asked to link: the identity binds to this account (any email).
      expect(
        await signInWithSso(database.db, { provider: "oidc", subject, email: "other@idp.example", emailVerified: false }, owner.id),
      ).toMatchObject({ ok: true, linked: true, user: { id: owner.id } });
      expect(await signInWithSso(database.db, { provider: "oidc", subject, emailVerified: false })).toMatchObject({
        ok: true,
        linked: false,
        user: { id: owner.id, role },
      });
    }
    // An identity already linked to someone else is not moved by a link request.
    const intruder = await createUser(database.db, { email: `intruder-${provider}@example.com`, name: "I", password: null });
    expect(await signInWithSso(database.db, { provider: "oidc", subject: "sub-ADMIN", emailVerified: false }, intruder.id)).toEqual({
      ok: false,
      reason: "taken",
    });
  });

  it("stores an identity provider's display name trimmed, bounded and without control characters", async () => {
    const long = `  Mallory\u202e\u0000\n\t${"x".repeat(500)}  `;
    const outcome = await signInWithSso(database.db, {
      provider: "oidc",
      subject: "long-name",
      email: `mallory-${provider}@example.com`,
      emailVerified: true,
      name: long,
    });
    expect(outcome).toMatchObject({ ok: true, user: { name: `Mallory ${"x".repeat(72)}` } });
    const blank = await signInWithSso(database.db, {
      provider: "oidc",
      subject: "blank-name",
      email: `blank-${provider}@example.com`,
      emailVerified: true,
      name: " \u200b\u0007 ",
    });
    expect(blank).toMatchObject({ ok: true, user: { name: `blank-${provider}@example.com` } });
  });
});
