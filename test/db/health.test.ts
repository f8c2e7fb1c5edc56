import { afterEach, describe, expect, it, vi } from "vitest";

describe("GET /api/health", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
    delete (globalThis as { kubeprepDb?: unknown }).kubeprepDb;
  });

  it("answers 200 ok when the database answers", async () => {
    const { createTestDatabase } = await import("../helpers/database");
    const database = await createTestDatabase("sqlite");
    vi.stubEnv("DATABASE_URL", database.config.url);
    const { GET } = await import("@/app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok", db: "ok" });
    await database.drop();
  });

  it("answers 503 with db error when the database is unreachable", async () => {
    vi.stubEnv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none?connect_timeout=1");
    const { GET } = await import("@/app/api/health/route");
    const response = await GET();
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "error", db: "error" });
  });
});
