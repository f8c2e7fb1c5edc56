import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "../../_components/ui";
import { SignInForm } from "./signin-form";
import { getEnv } from "@/lib/env";
import { safeCallbackUrl } from "@/lib/auth/callback-url";

export const metadata: Metadata = { title: "Sign in" };

const SSO_ERRORS: Record<string, string> = {
  SsoNoEmail: "Your identity provider did not share a verified email address, so we could not sign you in.",
  SsoLinkFromAccount:
    "An instructor or administrator account uses this email. Sign in with your password, then link single sign-on from your Account page.",
  SsoTaken: "This single sign-on identity is linked to another account.",
  OAuthCallback: "Single sign-on did not complete. Try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const callbackUrl = safeCallbackUrl(params.callbackUrl);
  const error = typeof params.error === "string" ? SSO_ERRORS[params.error] : undefined;
  const sso = getEnv().oidc;
  return (
    <div className="mx-auto max-w-md">
      <Card>
        <h1 className="text-2xl font-semibold text-slate-900">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600">
          New here?{" "}
          <Link href="/signup" className="font-medium text-brand-700 underline">
            Create an account
          </Link>
        </p>
        <SignInForm callbackUrl={callbackUrl} initialError={error} sso={sso ? { name: sso.displayName } : undefined} />
      </Card>
    </div>
  );
}
