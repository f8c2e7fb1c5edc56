import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, POSTGRES_SCHEMA, readSchema, SNAPSHOTS, SQLITE_SCHEMA, MIGRATION_DIRS } from "@/lib/db/schemas";
import { migrateDatabase } from "@/lib/db/migrate";
import { createTestDatabase } from "../helpers/database";

const root = process.cwd();

describe("one set of models for two providers", () => {
  it("the PostgreSQL schema is exactly the one derived from prisma/schema.prisma", () => {
    expect(readSchema(root, POSTGRES_SCHEMA)).toBe(derivePostgresSchema(readSchema(root, SQLITE_SCHEMA)));
  });

  it("every schema change has its migrations (run `npm run db:new-migration -- <name>`)", () => {
    expect(readSchema(root, SNAPSHOTS.sqlite)).toBe(readSchema(root, SQLITE_SCHEMA));
    expect(readSchema(root, SNAPSHOTS.postgres)).toBe(readSchema(root, POSTGRES_SCHEMA));
  });

  it("both providers have the same migration names", () => {
    const names = (dir: string) =>
      fs
        .readdirSync(path.join(root, dir))
        .filter((name) => !name.endsWith(".toml"))
        .sort();
    expect(names(MIGRATION_DIRS.postgres)).toEqual(names(MIGRATION_DIRS.sqlite));
  });

  it("the generated clients embed the current schemas", () => {
    const inline = (provider: string) => fs.readFileSync(path.join(root, `lib/db/generated/${provider}/internal/class.ts`), "utf8");
    expect(inline("sqlite")).toContain(JSON.stringify(readSchema(root, SQLITE_SCHEMA)).slice(1, 200));
    expect(inline("postgres")).toContain(JSON.stringify(readSchema(root, POSTGRES_SCHEMA)).slice(1, 200));
  });
});

describe("SQLite migrations through the WebAssembly schema engine", () => {
  it("creates the database in WAL mode, records migrations like the Prisma CLI, and is idempotent", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-migrate-"));
    const file = path.join(dir, "nested", "app.db");
    const config = { provider: "sqlite" as const, url: `file:${file}`, file };
    const first = await migrateDatabase(root, config);
    expect(first.length).toBeGreaterThan(0);
    expect(await migrateDatabase(root, config)).toEqual([]);
    const sqlite = new Database(file, { readonly: true });
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    const rows = sqlite.prepare("SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name").all() as {
      migration_name: string;
      checksum: string;
      finished_at: number | null;
    }[];
    sqlite.close();
    expect(rows.map((row) => row.migration_name)).toEqual(first);
    for (const row of rows) {
      const sql = fs.readFileSync(path.join(root, MIGRATION_DIRS.sqlite, row.migration_name, "migration.sql"));
      expect(row.checksum).toBe(crypto.createHash("sha256").update(sql).digest("hex"));
      expect(row.finished_at).not.toBeNull();
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("the app's SQLite connection", () => {
  it("writes in WAL mode without an fsync per commit (synchronous = NORMAL), and keeps what it wrote", async () => {
    const database = await createTestDatabase("sqlite");
    try {
      expect(await database.db.$queryRawUnsafe("PRAGMA synchronous")).toEqual([{ synchronous: 1n }]);
      await database.db.user.create({ data: { email: "wal@example.com", name: "Wal" } });
      if (database.config.provider !== "sqlite") throw new Error("expected SQLite");
      const sqlite = new Database(database.config.file, { readonly: true });
      expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
      expect(sqlite.prepare("SELECT name FROM User WHERE email = ?").get("wal@example.com")).toEqual({ name: "Wal" });
      sqlite.close();
    } finally {
      await database.drop();
    }
  });
});

describe("provider-specific lines", () => {
  it("a `// postgres:` line is replaced in the PostgreSQL schema", () => {
    const source = readSchema(root, SQLITE_SCHEMA);
    const derived = derivePostgresSchema(
      `${source}\nmodel X {\n  id String @id\n  a  String\n  @@index([a, id]) // postgres: @@index([a])\n}\n`,
    );
    expect(derived).toContain("\n  @@index([a])\n");
    expect(derived).not.toContain("@@index([a, id])");
  });
});
