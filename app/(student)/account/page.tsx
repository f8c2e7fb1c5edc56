import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/guard";
import { Card, PageHeader } from "../../_components/ui";
import { PasswordForm } from "./password-form";
import { SignOutEverywhere } from "./sign-out-everywhere";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage() {
  const user = await requirePageUser("student");
  return (
    <>
      <PageHeader title="Account" description={`${user.name} · ${user.email} · ${user.role.toLowerCase()}`} />
      <Card className="max-w-lg">
        <h2 className="text-lg font-semibold">Change password</h2>
        <PasswordForm />
        <p className="mt-3 text-sm text-slate-600">Changing your password signs you out everywhere else.</p>
      </Card>
      <Card className="mt-6 max-w-lg">
        <h2 className="text-lg font-semibold">Sessions</h2>
        <p className="mt-1 text-sm text-slate-600">Ends every session of your account, on every device, this one included.</p>
        <SignOutEverywhere />
      </Card>
    </>
  );
}
