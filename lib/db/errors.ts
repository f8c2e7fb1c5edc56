/** Prisma's "unique constraint failed" (P2002), recognised without importing a generated client. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2002";
}

/** Prisma's "record to update not found" (P2025): an `update` whose where (e.g. with a revision) matched no row. */
export function isRecordNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "P2025";
}
