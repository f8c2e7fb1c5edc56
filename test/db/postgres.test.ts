import { describe, expect, it } from "vitest";
import { createTestDatabase } from "../helpers/database";
import { migrateDatabase } from "@/lib/db/migrate";

describe.skipIf(!process.env.TEST_DATABASE_URL)("PostgreSQL migrations (TEST_DATABASE_URL)", () => {
  it("applies every migration to a fresh database once, then nothing", async () => {
    const database = await createTestDatabase("postgres");
    try {
      expect(await migrateDatabase(process.cwd(), database.config)).toEqual([]);
      const rows = await database.db.$queryRawUnsafe<{ migration_name: string }[]>("SELECT migration_name FROM _prisma_migrations");
      expect(rows.length).toBeGreaterThan(0);
      const user = await database.db.user.create({ data: { email: "pg@example.com", name: "PG" } });
      expect(await database.db.user.count()).toBe(1);
      // The longest answer the API accepts (2,000 characters, multi-byte) fits every index.
      await database.db.questionAttempt.create({
        data: {
          userId: user.id,
          questionId: "q",
          moduleId: "m",
          lessonSlug: "l",
          submissionId: "s1",
          response: { text: "é€".repeat(1000) },
          score: 0,
          correct: false,
          isFirst: true,
          firstQuestionId: "q",
        },
      });
    } finally {
      await database.drop();
    }
  });
});
