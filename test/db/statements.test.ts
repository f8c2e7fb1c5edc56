import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { adapterFor } from "@/lib/db/adapter";
import { isSqlite, keepPreparedStatements } from "@/lib/db/create";
import { createTestDatabase, providers } from "../helpers/database";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kubeprep-statements-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("SQLite statements kept by their SQL", () => {
  it("prepares each text once, and every run gets its own arguments", async () => {
    const file = path.join(dir, "kept.db");
    const connection = await adapterFor({ provider: "sqlite", url: `file:${file}`, file }).connect();
    const client = (connection as unknown as { client: { prepare: (sql: string) => unknown } }).client;
    const prepare = client.prepare.bind(client);
    const prepared: string[] = [];
    client.prepare = (sql: string) => {
      prepared.push(sql);
      return prepare(sql);
    };
    keepPreparedStatements(connection);

    const query = (sql: string, args: unknown[]) =>
      connection.queryRaw({ sql, args, argTypes: args.map(() => ({ scalarType: "int", arity: "scalar" })) });
    const execute = (sql: string, args: unknown[]) =>
      connection.executeRaw({ sql, args, argTypes: args.map(() => ({ scalarType: "int", arity: "scalar" })) });
    await execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", []);
    for (const v of [10, 20, 30]) expect(await execute("INSERT INTO t (v) VALUES (?)", [v])).toBe(1);
    for (const v of [10, 20, 30, 40]) {
      const result = await query("SELECT id, v FROM t WHERE v >= ? ORDER BY id", [v]);
      expect(result.columnNames).toEqual(["id", "v"]);
      expect(result.rows.map((row) => row[1])).toEqual([10, 20, 30].filter((value) => value >= v));
    }
    // A rolled back transaction on the same connection leaves nothing behind.
    const transaction = await connection.startTransaction();
    await transaction.executeRaw({ sql: "INSERT INTO t (v) VALUES (?)", args: [99], argTypes: [{ scalarType: "int", arity: "scalar" }] });
    await transaction.executeRaw({ sql: "ROLLBACK", args: [], argTypes: [] });
    await transaction.rollback();
    expect((await query("SELECT count(*) AS n FROM t WHERE v >= ?", [0])).rows).toEqual([[3]]);

    expect(prepared.filter((sql) => sql.startsWith("INSERT"))).toHaveLength(1);
    expect(prepared.filter((sql) => sql.startsWith("SELECT id"))).toHaveLength(1);
    await connection.dispose();
  });
});

describe.each(providers)("the client on %s", (provider) => {
  it("says whether it is the embedded database (a write batch leaves out the learner lock there)", async () => {
    const database = await createTestDatabase(provider);
    try {
      expect(isSqlite(database.db)).toBe(provider === "sqlite");
    } finally {
      await database.drop();
    }
  });
});
