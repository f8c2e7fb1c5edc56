/**
 * The official Prisma schema engine, built to WebAssembly (@prisma/schema-engine-wasm), driven
 * through a Prisma driver adapter. This is what lets migrations run with no native engine
 * download; the migration folders and the `_prisma_migrations` table it writes are the same as
 * `prisma migrate deploy` writes, so users with the CLI's engine can use either.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type { ApplyMigrationsOutput, MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { DatabaseConfig } from "../env";
import { MIGRATION_DIRS } from "./schemas";
import { adapterFor } from "./adapter";

type Bindgen = typeof import("@prisma/schema-engine-wasm/schema_engine_bg") & {
  __wbg_set_wasm(exports: WebAssembly.Exports): void;
};

let bindgen: Promise<Bindgen> | undefined;

async function loadBindgen(): Promise<Bindgen> {
  const require = createRequire(import.meta.url);
  // The package's exports do not list the .wasm file: find it beside the JS glue.
  const glue = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bg = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as Bindgen;
  const wasm = fs.readFileSync(path.join(path.dirname(glue), "schema_engine_bg.wasm"));
  const { instance } = await WebAssembly.instantiate(wasm, { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports });
  bg.__wbg_set_wasm(instance.exports);
  const start = instance.exports.__wbindgen_start;
  if (typeof start === "function") start();
  return bg;
}

export interface OpenEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened (SQLite keeps its lock otherwise). */
  close(): Promise<void>;
}

export async function openSchemaEngine(
  database: DatabaseConfig,
  schemaText: string,
  log: (line: string) => void = () => {},
  options: { busyTimeoutMs?: number } = {},
): Promise<OpenEngine> {
  bindgen ??= loadBindgen();
  const bg = await bindgen;
  const factory = adapterFor(database, options);
  const connections: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const connection = await factory.connect();
      connections.push(connection);
      return connection;
    },
    connectToShadowDb: async () => {
      const connection = await factory.connectToShadowDb();
      connections.push(connection);
      return connection;
    },
  };
  const engine = await bg.SchemaEngine.new(
    { datamodels: [["schema.prisma", schemaText]] },
    (message: string) => log(message),
    bindMigrationAwareSqlAdapterFactory(tracked),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(connections.map((connection) => connection.dispose()));
    },
  };
}

export function readMigrations(root: string, provider: DatabaseConfig["provider"]): MigrationList {
  const baseDir = path.join(root, MIGRATION_DIRS[provider]);
  const lockPath = path.join(baseDir, "migration_lock.toml");
  const directories = fs.existsSync(baseDir)
    ? fs
        .readdirSync(baseDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort()
    : [];
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: fs.existsSync(lockPath) ? fs.readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: directories.map((name) => {
      const file = path.join(baseDir, name, "migration.sql");
      return {
        path: name,
        migrationFile: {
          path: "migration.sql",
          content: fs.existsSync(file)
            ? { tag: "ok" as const, value: fs.readFileSync(file, "utf8") }
            : { tag: "error" as const, value: `${file} is missing` },
        },
      };
    }),
  };
}

export const NO_FILTERS = { externalTables: [], externalEnums: [] };

export async function applyMigrations(
  root: string,
  database: DatabaseConfig,
  schemaText: string,
  options: { busyTimeoutMs?: number } = {},
): Promise<ApplyMigrationsOutput> {
  if (database.provider === "sqlite") {
    fs.mkdirSync(path.dirname(database.file), { recursive: true });
  }
  const { engine, close } = await openSchemaEngine(database, schemaText, undefined, options);
  try {
    return await engine.applyMigrations({ migrationsList: readMigrations(root, database.provider), filters: NO_FILTERS });
  } finally {
    await close();
  }
}
