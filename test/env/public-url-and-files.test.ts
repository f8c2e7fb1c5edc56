import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { parseEnv } from "@/lib/env";
import { secureDataDir } from "@/lib/env/data-dir";

describe("public base URL", () => {
  it("is NEXTAUTH_URL when set, otherwise derived from PORT and HOST (not next-auth's localhost:3000)", () => {
    expect(parseEnv({ NEXTAUTH_URL: "https://kubeprep.example.com" }).publicUrl).toEqual({
      href: "https://kubeprep.example.com",
      derived: false,
    });
    expect(parseEnv({}).publicUrl).toEqual({ href: "http://localhost:3000", derived: true });
    expect(parseEnv({ PORT: "4100", HOST: "0.0.0.0" }).publicUrl.href).toBe("http://localhost:4100");
    expect(parseEnv({ PORT: "4100", HOST: "127.0.0.1" }).publicUrl.href).toBe("http://127.0.0.1:4100");
    expect(parseEnv({ PORT: "4100", HOST: "::1" }).publicUrl.href).toBe("http://[::1]:4100");
  });

  it("is required in production with PostgreSQL, naming the variable", () => {
    const base = { NODE_ENV: "production", DATABASE_URL: "postgres://u@db/kp", NEXTAUTH_SECRET: "x".repeat(32) };
    expect(() => parseEnv(base)).toThrowError(/NEXTAUTH_URL: is required in production with PostgreSQL/);
    expect(parseEnv({ ...base, NEXTAUTH_URL: "https://kp.example.com" }).publicUrl.derived).toBe(false);
    // The embedded default and development keep working without it.
    expect(parseEnv({ NODE_ENV: "production" }).publicUrl.derived).toBe(true);
  });
});

describe("data folder permissions", () => {
  it("tightens an existing install: folder 0700, database, WAL, secret and admin password 0600", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-files-"));
    const dataDir = path.join(dir, "data");
    fs.mkdirSync(path.join(dataDir, "practice-api"), { recursive: true, mode: 0o755 });
    fs.chmodSync(dataDir, 0o755);
    const env = parseEnv({ DATA_DIR: dataDir });
    const file = path.join(dataDir, "kubeprep.db");
    const sqlite = new Database(file);
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec("CREATE TABLE t (x); INSERT INTO t VALUES (1)");
    for (const name of ["auth-secret", "initial-admin-password", "practice-api/ca.key"])
      fs.writeFileSync(path.join(dataDir, name), "secret", { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    fs.chmodSync(`${file}-wal`, 0o644);
    fs.chmodSync(`${file}-shm`, 0o644);
    try {
      secureDataDir(env);
      const mode = (name: string) => fs.statSync(path.join(dataDir, name)).mode & 0o777;
      expect(mode(".")).toBe(0o700);
      expect(mode("practice-api")).toBe(0o700);
      for (const name of [
        "kubeprep.db",
        "kubeprep.db-wal",
        "kubeprep.db-shm",
        "auth-secret",
        "initial-admin-password",
        "practice-api/ca.key",
      ]) {
        expect([name, mode(name)]).toEqual([name, 0o600]);
      }
    } finally {
      sqlite.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("creates a missing data folder as 0700", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-files-"));
    const dataDir = path.join(dir, "fresh");
    secureDataDir(parseEnv({ DATA_DIR: dataDir }));
    expect(fs.statSync(dataDir).mode & 0o777).toBe(0o700);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
