/** "due 3 days ago", "due now", "in 2 hours": a card's due date against now, in words. */
export function dueIn(due: Date, now: Date): string {
  const minutes = Math.round((due.getTime() - now.getTime()) / 60_000);
  const size = Math.abs(minutes);
  const amount = size < 60 ? `${size} min` : size < 48 * 60 ? `${Math.round(size / 60)} h` : `${Math.round(size / (24 * 60))} days`;
  if (minutes > 0) return `in ${amount}`;
  return size < 1 ? "due now" : `due ${amount} ago`;
}
