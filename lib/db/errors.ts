/** Prisma's "unique constraint failed" (P2002), recognised without importing a generated client. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}
