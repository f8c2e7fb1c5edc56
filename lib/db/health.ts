import "server-only";
import { db } from "./client";

/** True when the database answers a trivial query within two seconds. */
export async function checkDatabase(): Promise<boolean> {
  try {
    const probe = db().$queryRawUnsafe("SELECT 1");
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error("database timeout")), 2_000).unref());
    await Promise.race([probe, timeout]);
    return true;
  } catch {
    return false;
  }
}
