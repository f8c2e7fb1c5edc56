import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/guard";
import { Card, PageHeader } from "../../_components/ui";
import { PasswordForm } from "./password-form";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requirePageUser("student");
  return (
    <>
      <PageHeader title="Account" description={`${user.name} · ${user.email} · ${user.role.toLowerCase()}`} />
      <Card className="max-w-lg">
        <h2 className="text-lg font-semibold">Change password</h2>
        <PasswordForm />
      </Card>
    </>
  );
}
