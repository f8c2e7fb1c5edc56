import { redirect } from "next/navigation";
import { requirePageUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { nextDueCard } from "@/lib/review/service";

/** The most overdue card, or the Review page when nothing is due. */
export default async function NextReviewPage() {
  const user = await requirePageUser("student");
  const cardId = await nextDueCard(db(), user.id);
  redirect(cardId ? `/review/${cardId}` : "/review");
}
