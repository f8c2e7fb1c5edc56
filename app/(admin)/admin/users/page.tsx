import type { Metadata } from "next";
import Link from "next/link";
import { requirePageUser } from "@/lib/auth/guard";
import { userSearchSchema } from "@/lib/accounts/schemas";
import { searchUsers } from "@/lib/accounts/admin";
import { Button, Card, PageHeader } from "../../../_components/ui";
import { ResetPasswordButton, RoleForm } from "./role-form";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requirePageUser("admin");
  const raw = await searchParams;
  const parsed = userSearchSchema.safeParse({ q: raw.q, page: raw.page });
  const { q, page } = parsed.success ? parsed.data : { q: "", page: 1 };
  const result = await searchUsers(q, page);
  const pageHref = (n: number) => `/admin/users?${new URLSearchParams({ ...(q ? { q } : {}), page: String(n) })}`;

  return (
    <>
      <PageHeader title="Users" description={`${result.total} account${result.total === 1 ? "" : "s"}. Change a role and save it on its row.`} />
      <Card className="p-0">
        <form role="search" className="flex flex-wrap items-end gap-3 border-b border-slate-200 p-4" action="/admin/users">
          <div className="flex flex-col gap-1">
            <label htmlFor="q" className="text-sm font-medium">
              Search by name or email
            </label>
            <input id="q" name="q" defaultValue={q} className="h-10 w-72 max-w-full rounded-md border border-slate-300 px-3" />
          </div>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </form>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Users, page {result.page} of {result.pageCount}</caption>
            <thead className="bg-slate-50 text-slate-700">
              <tr>
                <th scope="col" className="px-4 py-3 font-medium">Name</th>
                <th scope="col" className="px-4 py-3 font-medium">Email</th>
                <th scope="col" className="px-4 py-3 font-medium">Joined</th>
                <th scope="col" className="px-4 py-3 font-medium">Role</th>
              </tr>
            </thead>
            <tbody>
              {result.users.map((user) => (
                <tr key={user.id} className="border-t border-slate-100">
                  <td className="px-4 py-3">{user.name}</td>
                  <td className="px-4 py-3 font-mono text-xs sm:text-sm">{user.email}</td>
                  <td className="px-4 py-3 whitespace-nowrap">{user.createdAt.toISOString().slice(0, 10)}</td>
                  <td className="px-4 py-3">
                    <RoleForm userId={user.id} email={user.email} role={user.role} />
                    <ResetPasswordButton userId={user.id} email={user.email} />
                  </td>
                </tr>
              ))}
              {result.users.length === 0 ? (
                <tr>
                  <td colSpan={4} className="px-4 py-6 text-center text-slate-600">
                    No users match “{q}”.
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
        <nav aria-label="Pages" className="flex items-center justify-between border-t border-slate-200 p-4 text-sm">
          <span>
            Page {result.page} of {result.pageCount}
          </span>
          <span className="flex gap-2">
            {result.page > 1 ? <Link className="underline" href={pageHref(result.page - 1)}>Previous</Link> : null}
            {result.page < result.pageCount ? <Link className="underline" href={pageHref(result.page + 1)}>Next</Link> : null}
          </span>
        </nav>
      </Card>
    </>
  );
}
