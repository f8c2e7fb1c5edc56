import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/guard";
import { getCurrentUser } from "@/lib/auth/session";
import { Card, PageHeader } from "../../../_components/ui";
import { PasswordForm } from "../password-form";

export const metadata: Metadata = { title: "Change password" };

/** The one page a user with a generated or reset password may open until they choose their own. */
export default async function ChangePasswordPage() {
  await requirePageUser("student", { pendingPasswordChange: true });
  const required = (await getCurrentUser())?.mustChangePassword === true;
  return (
    <>
      <PageHeader
        title="Change password"
        description={
          required ? "Your password was generated or reset by an administrator. Choose your own to continue." : "Choose a new password."
        }
      />
      <Card className="max-w-lg">
        <PasswordForm next={required ? "/dashboard" : undefined} />
      </Card>
    </>
  );
}
