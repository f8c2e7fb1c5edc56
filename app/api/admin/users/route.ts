import { withUser } from "@/lib/auth/guard";
import { userSearchSchema } from "@/lib/accounts/schemas";
import { searchUsers } from "@/lib/accounts/admin";
import { DomainError } from "@/lib/http/errors";

export const GET = withUser("admin", async (request) => {
  const url = new URL(request.url);
  const parsed = userSearchSchema.safeParse({ q: url.searchParams.get("q") ?? undefined, page: url.searchParams.get("page") ?? undefined });
  if (!parsed.success) throw new DomainError(422, "Invalid search parameters.");
  return Response.json(await searchUsers(parsed.data.q, parsed.data.page));
});
