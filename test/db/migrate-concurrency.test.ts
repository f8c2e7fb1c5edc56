// The app, db:migrate, seed:demo and the benchmarks may start together on one embedded
// database: one migrates at a time, each waits for the others' writes, and a database that
// stays busy is a clear error (not the schema engine's "unknown variant SocketTimeout").
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcess } from "node:child_process";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseBusyError, migrateDatabase } from "@/lib/db/migrate";
import type { DatabaseConfig } from "@/lib/env";

const dirs: string[] = [];
const children: ChildProcess[] = [];
function freshConfig(): Extract<DatabaseConfig, { provider: "sqlite" }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-migrate-"));
  dirs.push(dir);
  const file = path.join(dir, "kubeprep.db");
  return { provider: "sqlite", url: `file:${file}`, file };
}

afterEach(() => {
  for (const child of children.splice(0)) child.kill();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** Another process's long write: holds SQLite's write lock for `ms` (or until killed). */
async function holdWriteLock(file: string, ms: number): Promise<ChildProcess> {
  const script = `
    const Database = require("better-sqlite3");
    const db = new Database(process.argv[1]);
    db.pragma("journal_mode = WAL");
    db.exec("BEGIN IMMEDIATE");
    console.log("locked");
    setTimeout(() => { db.exec("COMMIT"); db.close(); }, Number(process.argv[2]));`;
  const child = spawn(process.execPath, ["-e", script, file, String(ms)], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once("data", () => resolve());
    child.once("exit", (code) => reject(new Error(`lock holder exited with ${code}`)));
  });
  return child;
}

describe("migrations on a shared embedded database", () => {
  it("several processes migrating at once: one applies, the others find it done", async () => {
    const config = freshConfig();
    const results = await Promise.all([
      migrateDatabase(process.cwd(), config),
      migrateDatabase(process.cwd(), config),
      migrateDatabase(process.cwd(), config),
    ]);
    const applied = results.flat();
    expect(applied.length).toBeGreaterThan(0);
    expect(new Set(applied).size).toBe(applied.length);
    expect(await migrateDatabase(process.cwd(), config)).toEqual([]);
    expect(fs.existsSync(`${config.file}.migrate-lock`)).toBe(false);
  });

  it("waits for another process's write to finish", async () => {
    const config = freshConfig();
    await holdWriteLock(config.file, 1000);
    const applied = await migrateDatabase(process.cwd(), config, { busyTimeoutMs: 10_000 });
    expect(applied.length).toBeGreaterThan(0);
  });

  it("a database that stays busy is a clear error", async () => {
    const config = freshConfig();
    const holder = await holdWriteLock(config.file, 60_000);
    const attempt = migrateDatabase(process.cwd(), config, { busyTimeoutMs: 300 });
    await expect(attempt).rejects.toBeInstanceOf(DatabaseBusyError);
    await expect(attempt).rejects.toThrowError(
      /stayed busy for more than 0 s: another process \(the app, seed:demo, a benchmark\) is writing to it/,
    );
    holder.kill();
    await new Promise((resolve) => holder.once("exit", resolve));
    expect(await migrateDatabase(process.cwd(), config)).not.toEqual([]);
  });

  it("beside a running app (the database held open), an up-to-date database needs no exclusive access", async () => {
    const config = freshConfig();
    await migrateDatabase(process.cwd(), config);
    const script = `
      const Database = require("better-sqlite3");
      const db = new Database(process.argv[1]);
      db.prepare('SELECT count(*) FROM "User"').get();
      console.log("open");
      setInterval(() => db.prepare('SELECT count(*) FROM "User"').get(), 50);`;
    const app = spawn(process.execPath, ["-e", script, config.file], { cwd: process.cwd(), stdio: ["ignore", "pipe", "inherit"] });
    children.push(app);
    await new Promise<void>((resolve) => app.stdout?.once("data", () => resolve()));
    const started = Date.now();
    expect(await migrateDatabase(process.cwd(), config, { busyTimeoutMs: 2_000 })).toEqual([]);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("takes over a lock left by a process that died", async () => {
    const config = freshConfig();
    fs.writeFileSync(`${config.file}.migrate-lock`, "999999999");
    expect((await migrateDatabase(process.cwd(), config)).length).toBeGreaterThan(0);
  });
});
