import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/guard";
import { userSearchSchema } from "@/lib/accounts/schemas";
import { searchUsers } from "@/lib/accounts/admin";
import { Button, Card, PageHeader } from "../../../_components/ui";
import { Pagination, Table } from "../../../_components/table";
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
      <PageHeader
        title="Users"
        description={`${result.total} account${result.total === 1 ? "" : "s"}. Change a role and save it on its row.`}
      />
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
        <Table
          label="Users"
          caption={`Users, page ${result.page} of ${result.pageCount}`}
          captionHidden
          stack
          rows={result.users}
          rowKey={(user) => user.id}
          empty={`No users match “${q}”.`}
          columns={[
            { header: "Name", rowHeader: true, cell: (user) => user.name },
            { header: "Email", className: "font-mono text-xs break-all sm:text-sm", cell: (user) => user.email },
            { header: "Joined", className: "whitespace-nowrap", cell: (user) => user.createdAt.toISOString().slice(0, 10) },
            {
              header: "Role",
              cell: (user) => (
                <>
                  <RoleForm userId={user.id} email={user.email} role={user.role} />
                  <ResetPasswordButton userId={user.id} email={user.email} />
                </>
              ),
            },
          ]}
        />
        <Pagination page={result.page} pageCount={result.pageCount} href={pageHref} />
      </Card>
    </>
  );
}
