import type { Metadata } from "next";
import { requirePageUser } from "@/lib/auth/guard";
import { db } from "@/lib/db/client";
import { getEnv } from "@/lib/env";
import { Card, FormAlert, PageHeader } from "../../_components/ui";
import { PasswordForm } from "./password-form";
import { SsoLinkButton } from "./sso-link";
import { SignOutEverywhere } from "./sign-out-everywhere";

export const metadata: Metadata = { title: "Account" };

const SSO_MESSAGES: Record<string, { tone: "error" | "success"; text: string }> = {
  linked: { tone: "success", text: "Single sign-on is linked to this account." },
  taken: { tone: "error", text: "That single sign-on identity is linked to another account." },
};

export default async function AccountPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requirePageUser("student");
  const params = await searchParams;
  const sso = getEnv().oidc;
  const linked = sso ? await db().account.count({ where: { userId: user.id, provider: "oidc" } }) : 0;
  const message = typeof params.sso === "string" ? SSO_MESSAGES[params.sso] : undefined;
  return (
    <>
      <PageHeader title="Account" description={`${user.name} · ${user.email} · ${user.role.toLowerCase()}`} />
      <div className="flex flex-col gap-6">
        <Card className="max-w-lg">
          <h2 className="text-lg font-semibold">Change password</h2>
          <PasswordForm />
          <p className="mt-3 text-sm text-slate-600">Changing your password signs you out everywhere else.</p>
        </Card>
        <Card className="max-w-lg">
          <h2 className="text-lg font-semibold">Sessions</h2>
          <p className="mt-1 text-sm text-slate-600">Ends every session of your account, on every device, this one included.</p>
          <SignOutEverywhere />
        </Card>
        {sso ? (
          <Card className="max-w-lg">
            <h2 className="text-lg font-semibold">Single sign-on</h2>
            <p className="mb-4 mt-1 text-sm text-slate-700">
              {linked > 0
                ? `This account is linked to ${sso.displayName}; you can sign in with it or with your password.`
                : user.role === "STUDENT"
                  ? `Link ${sso.displayName} to sign in with it. Signing in with ${sso.displayName} and a verified email of this account also links it.`
                  : `Instructor and administrator accounts are never linked by email: link ${sso.displayName} here, signed in with your password.`}
            </p>
            {message ? <FormAlert tone={message.tone}>{message.text}</FormAlert> : null}
            <SsoLinkButton providerName={sso.displayName} />
          </Card>
        ) : null}
      </div>
    </>
  );
}
