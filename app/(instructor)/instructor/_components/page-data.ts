import "server-only";
import { notFound } from "next/navigation";
import { requirePageUser } from "@/lib/auth/guard";
import { DomainError } from "@/lib/http/errors";
import { db, type Db } from "@/lib/db/client";
import type { PublicUser } from "@/lib/accounts/users";

/**
 * Instructor pages: sign-in and the instructor area first (requirePageUser), then the page's
 * lib/cohorts function, which applies the cohort rule (lib/cohorts/access.ts); its 404 becomes
 * the not-found page.
 */
export async function instructorPageData<T>(load: (database: Db, user: PublicUser) => Promise<T>): Promise<T> {
  const user = await requirePageUser("instructor");
  try {
    return await load(db(), user);
  } catch (error) {
    if (error instanceof DomainError && error.status === 404) notFound();
    throw error;
  }
}
